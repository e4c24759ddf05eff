package io.apexaudition.planner.domain;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.RetryRequested;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns a retry command into the next attempt of each listed generation, with the lane version and prompt
 * version the generation first ran with. Problems (an unknown lane version or prompt version) are listed, and
 * then nothing is retried.
 */
public final class RetryPlanner {
    private final Clock clock;

    public RetryPlanner(Clock clock) {
        this.clock = clock;
    }

    public record Plan(List<GenerationRequested> requests, List<String> problems) {
    }

    /** A listed generation with the lane version and prompt it is sent again with. */
    private record Resolved(RetryRequested.Item item, LaneRegistered lane, PromptIngested prompt) {
        /** The dispatcher's lane group of the new attempt. */
        String group() {
            return lane.slug() + "/" + (item.attempt() + 1);
        }
    }

    public Plan plan(RetryRequested command, Function<String, Optional<LaneRegistered>> laneByConditionId,
                     BiFunction<String, Integer, Optional<PromptIngested>> promptByVersion) {
        List<String> problems = new ArrayList<>();
        if (command.generations().isEmpty()) {
            problems.add("the retry lists no generations: nothing to send again");
        }
        // the dispatcher gathers requests per (run, lane, attempt) and waits for as many as the group expects: count
        // each group's distinct generations, not the lane's, or a retry mixing attempts leaves a group waiting forever
        Map<String, Integer> perGroup = new HashMap<>();
        List<Resolved> resolved = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RetryRequested.Item item : command.generations()) {
            if (!seen.add(item.generationId())) {
                continue; // listed twice: sent once
            }
            Optional<LaneRegistered> lane = laneByConditionId.apply(item.conditionId());
            Optional<PromptIngested> prompt = promptByVersion.apply(item.promptId(), item.promptVersion());
            if (lane.isEmpty()) {
                problems.add("generation " + item.generationId() + ": lane version " + item.conditionId()
                        + " is not registered");
                continue;
            }
            if (prompt.isEmpty()) {
                problems.add("generation " + item.generationId() + ": prompt " + item.promptId() + " v"
                        + item.promptVersion() + " is not ingested");
                continue;
            }
            Resolved r = new Resolved(item, lane.get(), prompt.get());
            resolved.add(r);
            perGroup.merge(r.group(), 1, Integer::sum);
        }
        List<GenerationRequested> requests = new ArrayList<>();
        for (Resolved r : resolved) {
            LaneRegistered l = r.lane();
            PromptIngested p = r.prompt();
            RetryRequested.Item item = r.item();
            int attempt = item.attempt() + 1;
            requests.add(new GenerationRequested(
                    EventIds.nameUuid("GenerationRequested", item.generationId(), Integer.toString(attempt)),
                    GenerationRequested.SCHEMA_VERSION, clock.instant(), command.runId(), item.generationId(), attempt,
                    l.conditionId(), l.slug(), l.provider(), l.model(), l.apiModelId(), l.parameters(), p.promptId(),
                    p.version(), p.text(), p.sharedContext(), item.replicate(), command.mode(), false, false,
                    command.cache(), perGroup.get(r.group())));
        }
        return new Plan(problems.isEmpty() ? requests : List.of(), problems);
    }
}
