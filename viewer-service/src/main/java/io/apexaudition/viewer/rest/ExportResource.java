package io.apexaudition.viewer.rest;

import io.apexaudition.viewer.domain.RunSummary;
import io.apexaudition.viewer.persistence.GenerationCsvExporter;
import io.apexaudition.viewer.persistence.GenerationJsonlExporter;
import io.apexaudition.viewer.persistence.GenerationRepository;
import io.apexaudition.viewer.persistence.RunBundleExporter;
import io.apexaudition.viewer.persistence.RunRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.util.Map;

/**
 * A run's exports, each streamed as it is read from the database (never built in memory): every generation as CSV
 * or JSON Lines, and the whole run as one HTML file that opens without a server.
 */
@Path("/api/runs/{id}")
public class ExportResource {
    private final RunRepository runs;
    private final GenerationRepository generations;
    private final GenerationCsvExporter csv;
    private final GenerationJsonlExporter jsonl;
    private final RunBundleExporter bundle;

    public ExportResource(RunRepository runs, GenerationRepository generations, GenerationCsvExporter csv,
            GenerationJsonlExporter jsonl, RunBundleExporter bundle) {
        this.runs = runs;
        this.generations = generations;
        this.csv = csv;
        this.jsonl = jsonl;
        this.bundle = bundle;
    }

    @GET
    @Path("generations.csv")
    @Produces("text/csv")
    public Response csv(@PathParam("id") String runId) {
        ApiErrors.requireRun(runs, runId);
        return download(out -> csv.write(runId, out), "text/csv; charset=utf-8", runId, "-generations.csv");
    }

    @GET
    @Path("generations.jsonl")
    @Produces("application/jsonl")
    public Response jsonl(@PathParam("id") String runId) {
        ApiErrors.requireRun(runs, runId);
        return download(out -> jsonl.write(runId, out), "application/jsonl; charset=utf-8", runId,
                "-generations.jsonl");
    }

    @GET
    @Path("bundle.html")
    @Produces("text/html")
    public Response bundle(@PathParam("id") String runId) {
        RunSummary run = runs.summary(runId).orElseThrow(() -> ApiErrors.noRun(runId));
        // the small parts (the run, its lanes and prompts) are read here, with the request; the generations stream
        Map<String, Object> data = bundle.data(run, generations.lanes(runId));
        return download(out -> bundle.write(run, data, out), "text/html; charset=utf-8", runId, ".html");
    }

    private static Response download(StreamingOutput body, String type, String runId, String suffix) {
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + safeFileName(runId) + suffix + "\"")
                .build();
    }

    /** A run id as a file name: ids are typed by people, so anything outside a safe set becomes '_'. */
    static String safeFileName(String runId) {
        return runId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
