package io.apexaudition.planner.domain;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.RetryRequested;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns a retry command into the next attempt of each listed generation, rebuilt as it was first planned: for a
 * run, with the lane version and prompt version the generation first ran with; for a judging run, from the
 * judging command ({@link JudgingPlanner#retry}). Problems (an unknown lane version or prompt version) are listed,
 * and then nothing is retried.
 */
public final class RetryPlanner {
    private final Clock clock;

    public RetryPlanner(Clock clock) {
        this.clock = clock;
    }

    public record Plan(List<GenerationRequested> requests, List<String> problems) {
    }

    /**
     * One listed generation as it was first planned (its attempt 1, whose attempt, event id, mode, cache and group
     * count the retry replaces), or why it cannot be rebuilt.
     */
    public record Rebuilt(GenerationRequested first, String problem) {
        public static Rebuilt as(GenerationRequested first) {
            return new Rebuilt(first, null);
        }

        public static Rebuilt refused(String problem) {
            return new Rebuilt(null, problem);
        }
    }

    /** How a run's generations are rebuilt. */
    @FunctionalInterface
    public interface Rebuild {
        Rebuilt rebuild(RetryRequested.Item item);
    }

    /** A run's generations, rebuilt from the lane and prompt versions they first ran with. */
    public Plan plan(RetryRequested command, Function<String, Optional<LaneRegistered>> laneByConditionId,
                     BiFunction<String, Integer, Optional<PromptIngested>> promptByVersion) {
        return plan(command, item -> {
            Optional<LaneRegistered> lane = laneByConditionId.apply(item.conditionId());
            if (lane.isEmpty()) {
                return Rebuilt.refused("generation " + item.generationId() + ": lane version " + item.conditionId()
                        + " is not registered");
            }
            Optional<PromptIngested> prompt = promptByVersion.apply(item.promptId(), item.promptVersion());
            if (prompt.isEmpty()) {
                return Rebuilt.refused("generation " + item.generationId() + ": prompt " + item.promptId() + " v"
                        + item.promptVersion() + " is not ingested");
            }
            LaneRegistered l = lane.get();
            PromptIngested p = prompt.get();
            return Rebuilt.as(new GenerationRequested(null, GenerationRequested.SCHEMA_VERSION, null,
                    command.runId(), item.generationId(), 1, l.conditionId(), l.slug(), l.provider(), l.model(),
                    l.apiModelId(), l.parameters(), p.promptId(), p.version(), null, null, item.replicate(),
                    command.mode(), false, false, command.cache(), 1));
        });
    }

    /** The listed generations, each rebuilt by {@code rebuild} and sent as its next attempt. */
    public Plan plan(RetryRequested command, Rebuild rebuild) {
        List<String> problems = new ArrayList<>();
        if (command.generations().isEmpty()) {
            problems.add("the retry lists no generations: nothing to send again");
        }
        // the dispatcher gathers requests per (run, lane, attempt) and waits for as many as the group expects: count
        // each group's distinct generations, not the lane's, or a retry mixing attempts leaves a group waiting forever
        Map<String, Integer> perGroup = new HashMap<>();
        List<RetryRequested.Item> items = new ArrayList<>();
        List<GenerationRequested> firsts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (RetryRequested.Item item : command.generations()) {
            if (!seen.add(item.generationId())) {
                continue; // listed twice: sent once
            }
            Rebuilt rebuilt = rebuild.rebuild(item);
            if (rebuilt.problem() != null) {
                problems.add(rebuilt.problem());
                continue;
            }
            items.add(item);
            firsts.add(rebuilt.first());
            perGroup.merge(group(rebuilt.first(), item), 1, Integer::sum);
        }
        if (!problems.isEmpty()) {
            return new Plan(List.of(), problems);
        }
        Instant now = clock.instant();
        List<GenerationRequested> requests = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            RetryRequested.Item item = items.get(i);
            GenerationRequested f = firsts.get(i);
            int attempt = item.attempt() + 1;
            requests.add(new GenerationRequested(
                    EventIds.nameUuid("GenerationRequested", item.generationId(), Integer.toString(attempt)),
                    GenerationRequested.SCHEMA_VERSION, now, command.runId(), item.generationId(), attempt,
                    f.conditionId(), f.conditionSlug(), f.provider(), f.model(), f.apiModelId(), f.parameters(),
                    f.promptId(), f.promptVersion(), f.promptText(), f.sharedContext(), f.replicate(),
                    command.mode(), false, false, command.cache(), perGroup.get(group(f, item)), f.judging()));
        }
        return new Plan(requests, problems);
    }

    /** The dispatcher's lane group of the new attempt. */
    private static String group(GenerationRequested first, RetryRequested.Item item) {
        return first.conditionSlug() + "/" + (item.attempt() + 1);
    }
}
