package io.apexaudition.viewer.rest;

import io.apexaudition.viewer.ViewerConfig;
import io.apexaudition.viewer.domain.Params;
import io.apexaudition.viewer.domain.RetryPolicy;
import io.apexaudition.viewer.domain.RunErrors;
import io.apexaudition.viewer.domain.RunErrors.ErrorRow;
import io.apexaudition.viewer.domain.RunErrors.KindCount;
import io.apexaudition.viewer.persistence.ErrorRepository;
import io.apexaudition.viewer.persistence.ErrorRepository.LaneKindCount;
import io.apexaudition.viewer.persistence.GenerationEntity;
import io.apexaudition.viewer.persistence.PromptRepository;
import io.apexaudition.viewer.persistence.RunEntity;
import io.apexaudition.viewer.persistence.RunRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A run's errors (the seed's "View Errors"): each with the provider's message, and what apex retry would resend. */
@Path("/api/runs/{id}/errors")
@Produces(MediaType.APPLICATION_JSON)
public class ErrorResource {
    private final RunRepository runs;
    private final ErrorRepository errors;
    private final PromptRepository prompts;
    private final ViewerConfig config;

    public ErrorResource(RunRepository runs, ErrorRepository errors, PromptRepository prompts, ViewerConfig config) {
        this.runs = runs;
        this.errors = errors;
        this.prompts = prompts;
        this.config = config;
    }

    @GET
    public RunErrors errors(@PathParam("id") String runId, @QueryParam("page") String page,
            @QueryParam("size") String size, @QueryParam("lane") List<String> lanes,
            @QueryParam("kind") List<String> kinds) {
        RunEntity run = runs.findByIdOptional(runId).orElseThrow(() -> ApiErrors.noRun(runId));
        List<LaneKindCount> counts = errors.counts(runId);
        List<String> laneFilter = Params.list(lanes);
        // the kinds there are, and any other kind the run's rows hold (one recorded by an older version)
        LinkedHashSet<String> knownKinds = new LinkedHashSet<>(RetryPolicy.KINDS);
        counts.stream().map(LaneKindCount::errorKind).filter(Objects::nonNull).forEach(knownKinds::add);
        List<String> kindFilter = Params.listOf("kind", kinds, List.copyOf(knownKinds));
        int pageSize = Math.min(Params.number("size", size, config.errorsPageSize(), 1), config.maxPageSize());

        Map<String, Long> byKind = new TreeMap<>();
        long total = 0;
        long resendable = 0;
        long matching = 0;
        for (LaneKindCount c : counts) {
            if (!laneFilter.isEmpty() && !laneFilter.contains(c.laneId())) {
                continue;
            }
            String kind = c.errorKind() == null ? "unknown" : c.errorKind();
            byKind.merge(kind, c.count(), Long::sum);
            total += c.count();
            resendable += RetryPolicy.wouldResend(run.status, "error", c.errorKind()) ? c.count() : 0;
            matching += kindFilter.isEmpty() || kindFilter.contains(c.errorKind()) ? c.count() : 0;
        }
        List<KindCount> kindCounts = new ArrayList<>();
        byKind.forEach((k, n) -> kindCounts.add(new KindCount(k, n, RetryPolicy.RETRYABLE_KINDS.contains(k))));
        int pages = (int) Math.max(1, (matching + pageSize - 1) / pageSize);
        int current = Math.min(Params.number("page", page, 1, 1), pages);

        List<GenerationEntity> rows = errors.page(runId, laneFilter, kindFilter, (current - 1) * pageSize, pageSize);
        Map<String, String> titles = prompts.titles(rows.stream().map(g -> g.promptId).distinct().toList());
        List<ErrorRow> out = rows.stream().map(g -> new ErrorRow(g.id, g.laneId, g.promptId, titles.get(g.promptId),
                g.replicate, g.attempt, g.provider, g.model, g.batchId, g.errorKind, g.errorMessage, g.completedAt,
                RetryPolicy.wouldResend(run.status, g.status, g.errorKind))).toList();
        List<String> lanesWithErrors = counts.stream().map(LaneKindCount::laneId).distinct().toList();
        return new RunErrors(runId, run.status, total, resendable,
                resendable == 0 ? null : RetryPolicy.command(runId, laneFilter), RetryPolicy.RETRYABLE_KINDS,
                kindCounts, lanesWithErrors, laneFilter, kindFilter, current, pageSize, pages, matching, out);
    }
}
