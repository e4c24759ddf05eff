package io.apexaudition.viewer.rest;

import io.apexaudition.viewer.domain.LaneOutput;
import io.apexaudition.viewer.domain.Params;
import io.apexaudition.viewer.domain.PromptComparison;
import io.apexaudition.viewer.domain.PromptComparison.LanePair;
import io.apexaudition.viewer.domain.RunComparison;
import io.apexaudition.viewer.domain.RunComparison.PromptRef;
import io.apexaudition.viewer.domain.RunSummary;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Two runs compared: lane by lane (cost, length, errors, coverage and the difference), and one prompt's outputs. */
@Path("/api/compare")
@Produces(MediaType.APPLICATION_JSON)
public class CompareResource {
    private static final String USAGE = "name the two runs, as in /api/compare?a=RUN_ID&b=RUN_ID";

    private final RunRepository runs;
    private final GenerationRepository generations;
    private final PromptRepository prompts;

    public CompareResource(RunRepository runs, GenerationRepository generations, PromptRepository prompts) {
        this.runs = runs;
        this.generations = generations;
        this.prompts = prompts;
    }

    @GET
    public RunComparison compare(@QueryParam("a") String a, @QueryParam("b") String b) {
        RunSummary runA = run("a", a);
        RunSummary runB = run("b", b);
        List<String> shared = new ArrayList<>(generations.promptIds(runA.id()));
        shared.retainAll(new HashSet<>(generations.promptIds(runB.id())));
        Map<String, String> titles = prompts.titles(shared);
        List<PromptRef> refs = shared.stream().map(p -> new PromptRef(p, titles.get(p))).toList();
        return RunComparison.of(runA, runB, generations.lanes(runA.id()), generations.lanes(runB.id()), refs);
    }

    @GET
    @Path("prompts/{promptId}")
    public PromptComparison prompt(@PathParam("promptId") String promptId, @QueryParam("a") String a,
            @QueryParam("b") String b) {
        String runA = run("a", a).id();
        String runB = run("b", b).id();
        List<GenerationEntity> rowsA = generations.forPrompt(runA, promptId);
        List<GenerationEntity> rowsB = generations.forPrompt(runB, promptId);
        if (rowsA.isEmpty() && rowsB.isEmpty()) {
            throw new NotFoundException("neither run " + runA + " nor run " + runB + " has a generation for prompt "
                    + promptId + ": GET /api/compare?a=" + runA + "&b=" + runB + " lists the prompts both ran");
        }
        List<String> lanesOfB = generations.laneIds(runB);
        List<String> both = generations.laneIds(runA).stream().filter(lanesOfB::contains).toList();
        // pairs by lane and replicate, over the lanes both runs ran
        Map<String, LanePair> pairs = new TreeMap<>();
        List<LaneOutput> outA = generations.outputs(rowsA);
        List<LaneOutput> outB = generations.outputs(rowsB);
        for (LaneOutput o : Stream.concat(outA.stream(), outB.stream()).toList()) {
            if (both.contains(o.laneId())) {
                pairs.putIfAbsent(key(o), new LanePair(o.laneId(), o.replicate(), find(outA, o), find(outB, o)));
            }
        }
        Integer version = Stream.concat(rowsA.stream(), rowsB.stream()).map(g -> g.promptVersion)
                .filter(Objects::nonNull).max(Integer::compare).orElse(null);
        PromptEntity prompt = prompts.version(promptId, version).orElse(null);
        return new PromptComparison(runA, runB, promptId, prompt == null ? null : prompt.title,
                prompt == null ? null : prompt.text, List.copyOf(pairs.values()));
    }

    private static String key(LaneOutput o) {
        return o.laneId() + "\u0000" + String.format("%09d", o.replicate() == null ? 1 : o.replicate());
    }

    private static LaneOutput find(List<LaneOutput> outputs, LaneOutput like) {
        return outputs.stream().filter(o -> key(o).equals(key(like))).findFirst().orElse(null);
    }

    private RunSummary run(String parameter, String runId) {
        String id = Params.required(parameter, runId, USAGE);
        return runs.summary(id).orElseThrow(() -> ApiErrors.noRun(id));
    }
}
