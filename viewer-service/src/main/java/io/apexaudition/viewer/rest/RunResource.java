package io.apexaudition.viewer.rest;

import io.apexaudition.viewer.ViewerConfig;
import io.apexaudition.viewer.domain.BlindShuffler;
import io.apexaudition.viewer.domain.LaneOutput;
import io.apexaudition.viewer.domain.LaneSummary;
import io.apexaudition.viewer.domain.MatrixCell;
import io.apexaudition.viewer.domain.MatrixFilter;
import io.apexaudition.viewer.domain.MatrixPage;
import io.apexaudition.viewer.domain.MatrixPage.MatrixOptions;
import io.apexaudition.viewer.domain.MatrixRow;
import io.apexaudition.viewer.domain.Params;
import io.apexaudition.viewer.domain.PromptSideBySide;
import io.apexaudition.viewer.domain.RunSummary;
import io.apexaudition.viewer.domain.SortOrder;
import io.apexaudition.viewer.persistence.GenerationEntity;
import io.apexaudition.viewer.persistence.GenerationRepository;
import io.apexaudition.viewer.persistence.GenerationRepository.PromptIds;
import io.apexaudition.viewer.persistence.PromptEntity;
import io.apexaudition.viewer.persistence.PromptRepository;
import io.apexaudition.viewer.persistence.RunRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The viewer's JSON API for runs: the list, one run, its matrix, a prompt side by side (blind or not), one cell. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private final RunRepository runs;
    private final GenerationRepository generations;
    private final PromptRepository prompts;
    private final ViewerConfig config;

    public RunResource(RunRepository runs, GenerationRepository generations, PromptRepository prompts,
            ViewerConfig config) {
        this.runs = runs;
        this.generations = generations;
        this.prompts = prompts;
        this.config = config;
    }

    @GET
    public List<RunSummary> list() {
        return runs.summaries();
    }

    @GET
    @Path("{id}")
    public RunSummary get(@PathParam("id") String runId) {
        return runs.summary(runId).orElseThrow(() -> ApiErrors.noRun(runId));
    }

    @GET
    @Path("{id}/matrix")
    public MatrixPage matrix(@PathParam("id") String runId, @QueryParam("page") String page,
            @QueryParam("size") String size, @QueryParam("lane") List<String> lanes,
            @QueryParam("model") List<String> models, @QueryParam("provider") List<String> providers,
            @QueryParam("status") List<String> statuses, @QueryParam("errors") String errorsOnly,
            @QueryParam("q") String text, @QueryParam("sort") String sort, @QueryParam("lanesort") String laneSort) {
        requireRun(runId);
        MatrixFilter filter = MatrixFilter.of(lanes, models, providers, statuses, errorsOnly, text);
        SortOrder promptOrder = SortOrder.parse("sort", sort, SortOrder.PROMPT_KEYS);
        SortOrder laneOrder = SortOrder.parse("lanesort", laneSort, SortOrder.LANE_KEYS);
        int pageSize = Math.min(Params.number("size", size, config.defaultPageSize(), 1), config.maxPageSize());
        int current = Params.number("page", page, 1, 1);
        PromptIds ids = generations.promptPage(runId, filter, promptOrder, (current - 1) * pageSize, pageSize);
        int pages = (int) Math.max(1, (ids.total() + pageSize - 1) / pageSize);
        if (current > pages) {
            // a shared link to a page the filter no longer reaches shows the last page there is
            current = pages;
            ids = generations.promptPage(runId, filter, promptOrder, (current - 1) * pageSize, pageSize);
        }
        Map<String, String> titles = prompts.titles(ids.ids());
        Map<String, List<MatrixCell>> byPrompt = new LinkedHashMap<>();
        ids.ids().forEach(p -> byPrompt.put(p, new ArrayList<>()));
        for (MatrixCell cell : generations.cells(runId, ids.ids(), filter)) {
            byPrompt.get(cell.promptId()).add(cell);
        }
        List<MatrixRow> rows = new ArrayList<>();
        byPrompt.forEach((p, cells) -> rows.add(new MatrixRow(p, titles.get(p), cells)));
        List<LaneSummary> all = generations.lanes(runId);
        List<LaneSummary> columns = all.stream().filter(filter::keeps).sorted(LaneSummary.order(laneOrder)).toList();
        return new MatrixPage(runId, current, pageSize, ids.total(), pages, filter, promptOrder.toString(),
                laneOrder.toString(), MatrixOptions.of(all), columns, rows);
    }

    @GET
    @Path("{id}/prompts/{promptId}")
    public PromptSideBySide prompt(@PathParam("id") String runId, @PathParam("promptId") String promptId,
            @QueryParam("blind") boolean blind) {
        requireRun(runId);
        List<GenerationEntity> rows = generations.forPrompt(runId, promptId);
        if (rows.isEmpty()) {
            throw noPrompt(runId, promptId);
        }
        List<LaneOutput> outputs = BlindShuffler.shuffle(runId, promptId, generations.outputs(rows));
        if (blind) {
            outputs = outputs.stream().map(LaneOutput::blinded).toList();
        } else {
            // shown, the lanes come in their own order; each keeps its blind label so a reveal can match them
            outputs = outputs.stream().sorted(Comparator.comparing(LaneOutput::laneId)
                    .thenComparing(o -> o.replicate() == null ? 0 : o.replicate())).toList();
        }
        Integer version = rows.stream().map(g -> g.promptVersion).filter(v -> v != null)
                .max(Integer::compare).orElse(null);
        PromptEntity prompt = prompts.version(promptId, version).orElse(null);
        return new PromptSideBySide(runId, promptId, prompt == null ? version : prompt.version,
                prompt == null ? null : prompt.title, prompt == null ? null : prompt.genre,
                prompt == null ? null : prompt.text, prompt == null ? null : prompt.sharedContext, blind, outputs);
    }

    /**
     * One cell's full output (its first replicate unless {@code replicate} names one), with the exact request body
     * sent for it: what a matrix cell opens.
     */
    @GET
    @Path("{id}/prompts/{promptId}/lanes/{laneId}")
    public LaneOutput cell(@PathParam("id") String runId, @PathParam("promptId") String promptId,
            @PathParam("laneId") String laneId, @QueryParam("replicate") String replicate) {
        requireRun(runId);
        Integer r = replicate == null || replicate.isBlank() ? null : Params.number("replicate", replicate, 1, 1);
        GenerationEntity g = generations.forCell(runId, promptId, laneId, r).orElseThrow(() -> new NotFoundException(
                "run " + runId + " has no generation of lane " + laneId + " for prompt " + promptId
                        + (r == null ? "" : " (replicate " + r + ")") + ": GET /api/runs/" + runId
                        + "/prompts/" + promptId + " lists the lanes it has"));
        return generations.outputs(List.of(g)).get(0).withRequestBody(generations.requestBody(g.id).orElse(null));
    }

    private void requireRun(String runId) {
        ApiErrors.requireRun(runs, runId);
    }

    static NotFoundException noPrompt(String runId, String promptId) {
        return new NotFoundException("run " + runId + " has no generation for prompt " + promptId
                + ": GET /api/runs/" + runId + "/matrix lists its prompts");
    }
}
