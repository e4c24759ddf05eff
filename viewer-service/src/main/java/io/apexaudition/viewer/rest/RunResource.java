package io.apexaudition.viewer.rest;

import io.apexaudition.viewer.ViewerConfig;
import io.apexaudition.viewer.domain.BlindShuffler;
import io.apexaudition.viewer.domain.LaneOutput;
import io.apexaudition.viewer.domain.LaneSummary;
import io.apexaudition.viewer.domain.MatrixCell;
import io.apexaudition.viewer.domain.MatrixFilter;
import io.apexaudition.viewer.domain.MatrixPage;
import io.apexaudition.viewer.domain.MatrixRow;
import io.apexaudition.viewer.domain.PromptSideBySide;
import io.apexaudition.viewer.domain.RunSummary;
import io.apexaudition.viewer.persistence.ConditionEntity;
import io.apexaudition.viewer.persistence.ConditionRepository;
import io.apexaudition.viewer.persistence.GenerationCsvExporter;
import io.apexaudition.viewer.persistence.GenerationEntity;
import io.apexaudition.viewer.persistence.GenerationRepository;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The viewer's JSON API: runs, a run's matrix, a prompt side by side (blind or not), the CSV export. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private final RunRepository runs;
    private final GenerationRepository generations;
    private final PromptRepository prompts;
    private final ConditionRepository conditions;
    private final GenerationCsvExporter csv;
    private final ViewerConfig config;

    public RunResource(RunRepository runs, GenerationRepository generations, PromptRepository prompts,
            ConditionRepository conditions, GenerationCsvExporter csv, ViewerConfig config) {
        this.runs = runs;
        this.generations = generations;
        this.prompts = prompts;
        this.conditions = conditions;
        this.csv = csv;
        this.config = config;
    }

    @GET
    public List<RunSummary> list() {
        return runs.summaries();
    }

    @GET
    @Path("{id}")
    public RunSummary get(@PathParam("id") String runId) {
        return runs.summary(runId).orElseThrow(() -> new NotFoundException("no run " + runId));
    }

    @GET
    @Path("{id}/matrix")
    public MatrixPage matrix(@PathParam("id") String runId, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size, @QueryParam("lane") List<String> lanes,
            @QueryParam("status") List<String> statuses, @QueryParam("q") String text) {
        requireRun(runId);
        MatrixFilter filter = MatrixFilter.of(lanes, statuses, text);
        int pageSize = Math.max(1, Math.min(size == null ? config.defaultPageSize() : size, config.maxPageSize()));
        long total = generations.countPrompts(runId, filter);
        int pages = (int) Math.max(1, (total + pageSize - 1) / pageSize);
        int current = Math.max(1, Math.min(page == null ? 1 : page, pages));
        List<String> promptIds = generations.promptPage(runId, filter, (current - 1) * pageSize, pageSize);
        Map<String, String> titles = prompts.titles(promptIds);
        Map<String, List<MatrixCell>> byPrompt = new LinkedHashMap<>();
        promptIds.forEach(p -> byPrompt.put(p, new ArrayList<>()));
        for (MatrixCell cell : generations.cells(runId, promptIds, filter)) {
            byPrompt.get(cell.promptId()).add(cell);
        }
        List<MatrixRow> rows = new ArrayList<>();
        byPrompt.forEach((p, cells) -> rows.add(new MatrixRow(p, titles.get(p), cells)));
        Map<String, ConditionEntity> conds = conditions.byId(generations.conditionIds(runId));
        List<LaneSummary> lanesOfRun = generations.lanes(runId, filter, conds);
        return new MatrixPage(runId, current, pageSize, total, pages, filter, lanesOfRun, rows);
    }

    @GET
    @Path("{id}/prompts/{promptId}")
    public PromptSideBySide prompt(@PathParam("id") String runId, @PathParam("promptId") String promptId,
            @QueryParam("blind") boolean blind) {
        requireRun(runId);
        List<GenerationEntity> rows = generations.forPrompt(runId, promptId);
        if (rows.isEmpty()) {
            throw new NotFoundException("run " + runId + " has no generation for prompt " + promptId);
        }
        Map<String, ConditionEntity> conds = conditions.byId(
                rows.stream().map(g -> g.conditionId).filter(c -> c != null).distinct().toList());
        List<LaneOutput> outputs = BlindShuffler.shuffle(runId, promptId,
                rows.stream().map(g -> GenerationRepository.output(g, conds.get(g.conditionId))).toList());
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

    @GET
    @Path("{id}/generations.csv")
    @Produces("text/csv")
    public Response csv(@PathParam("id") String runId) {
        requireRun(runId);
        StreamingOutput body = out -> csv.write(runId, out);
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + safeFileName(runId) + "-generations.csv\"")
                .build();
    }

    private void requireRun(String runId) {
        if (runs.findByIdOptional(runId).isEmpty()) {
            throw new NotFoundException("no run " + runId);
        }
    }

    /** A run id as a file name: ids are typed by people, so anything outside a safe set becomes '_'. */
    private static String safeFileName(String runId) {
        return runId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
