package io.apexaudition.planner.domain;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.RunRequested;

import java.time.Clock;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a run command into a plan: either a {@link RunAccepted} with exactly one {@link GenerationRequested}
 * per lane x prompt x replicate, or a {@link RunRejected} that lists every problem with its fix. Pure: the
 * caller supplies the registered lanes and prompts, and publishes the outcome atomically.
 */
public final class RunPlanner {
    /** Run ids end up in record keys ({@code runId/slug}) and file names: keep them plain. */
    static final Pattern RUN_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");
    static final int MAX_REPLICATES = 100;

    private final Clock clock;

    public RunPlanner(Clock clock) {
        this.clock = clock;
    }

    public sealed interface Outcome permits Accepted, Rejected {
    }

    public record Accepted(RunAccepted accepted, List<GenerationRequested> requests) implements Outcome {
    }

    public record Rejected(RunRejected rejected) implements Outcome {
    }

    /**
     * @param lanes   the latest registered version of every lane, by slug
     * @param prompts the latest version of every ingested prompt
     */
    public Outcome plan(RunRequested command, Map<String, LaneRegistered> lanes, List<PromptIngested> prompts,
                        String rawCommand) {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        String runId = command.runId();
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            problems.add("runId '" + runId + "' is missing or not plain: use letters, digits, '.', '_' or '-' "
                    + "(at most 100), e.g. \"run-2026-11-26-a\"");
        }

        List<LaneRegistered> chosenLanes = chooseLanes(command, lanes, problems);
        List<PromptIngested> chosenPrompts = choosePrompts(command, prompts, problems);

        if (command.limit() != null && command.limit() < 1) {
            problems.add("limit " + command.limit() + " is not a positive number of prompts: use limit >= 1, "
                    + "or leave it out to run every prompt");
        }
        if (command.replicates() < 1 || command.replicates() > MAX_REPLICATES) {
            problems.add("replicates " + command.replicates() + " is out of range: use 1 to " + MAX_REPLICATES
                    + " (1 is usual: the lanes are the variations)");
        }
        if (!problems.isEmpty()) {
            String safeRunId = runId == null || runId.isBlank() ? "unnamed-" + EventIds.newEventId() : runId;
            return new Rejected(new RunRejected(EventIds.newEventId(), RunRejected.SCHEMA_VERSION, now, safeRunId,
                    summarise(problems), problems, rawCommand));
        }

        if (command.limit() != null && command.limit() < chosenPrompts.size()) {
            chosenPrompts = chosenPrompts.subList(0, command.limit());
        }
        int replicates = command.replicates();
        int perLane = chosenPrompts.size() * replicates;
        List<PlannedLane> planned = new ArrayList<>();
        for (LaneRegistered lane : chosenLanes) {
            planned.add(new PlannedLane(lane.conditionId(), lane.slug(), lane.provider(), lane.model(), perLane));
        }
        List<GenerationRequested> requests = new PlannedRequests(command, chosenLanes, chosenPrompts,
                replicates, now);
        RunAccepted accepted = new RunAccepted(EventIds.nameUuid("RunAccepted", runId), RunAccepted.SCHEMA_VERSION,
                now, runId, command.mode(), command.verifyFirst(), command.dryRun(), command.cache(),
                command.limit(), replicates, command.createdBy(), command.notes(), planned,
                chosenPrompts.stream().map(PromptIngested::promptId).toList(), requests.size());
        return new Accepted(accepted, requests);
    }

    private static List<LaneRegistered> chooseLanes(RunRequested command, Map<String, LaneRegistered> lanes,
                                                    List<String> problems) {
        if (command.allLanes()) {
            if (lanes.isEmpty()) {
                problems.add("allLanes is set but no lane is registered: run `apex lanes register` first");
            }
            List<LaneRegistered> all = lanes.values().stream().sorted(Comparator.comparing(LaneRegistered::slug))
                    .toList();
            all.stream().filter(l -> !Providers.ALL.contains(l.provider())).forEach(l -> problems.add("lane '"
                    + l.slug() + "' names provider '" + l.provider() + "', which no dispatcher serves: register it "
                    + "again with one of " + Providers.ALL));
            return all;
        }
        if (command.conditionSlugs().isEmpty()) {
            problems.add("no lane chosen: give \"conditionSlugs\": [\"<slug>\", ...] or \"allLanes\": true");
            return List.of();
        }
        Set<String> slugs = new LinkedHashSet<>(command.conditionSlugs());
        List<LaneRegistered> chosen = new ArrayList<>();
        for (String slug : slugs) {
            LaneRegistered lane = lanes.get(slug);
            if (lane != null && !Providers.ALL.contains(lane.provider())) {
                problems.add("lane '" + slug + "' names provider '" + lane.provider() + "', which no dispatcher "
                        + "serves: register it again with one of " + Providers.ALL);
            } else if (lane == null) {
                problems.add("unknown lane '" + slug + "': register it with `apex lanes register`, or use one of "
                        + (lanes.isEmpty() ? "(none registered yet)" : String.join(", ", lanes.keySet().stream()
                        .sorted().toList())));
            } else {
                chosen.add(lane);
            }
        }
        return chosen;
    }

    private static List<PromptIngested> choosePrompts(RunRequested command, List<PromptIngested> prompts,
                                                      List<String> problems) {
        List<PromptIngested> sorted = prompts.stream().sorted(Comparator.comparing(PromptIngested::promptId)).toList();
        if (sorted.isEmpty()) {
            problems.add("no prompts ingested: run `apex prompts ingest` first");
            return List.of();
        }
        if (command.promptIds().isEmpty()) {
            return sorted;
        }
        List<PromptIngested> chosen = new ArrayList<>();
        for (String id : new LinkedHashSet<>(command.promptIds())) {
            sorted.stream().filter(p -> p.promptId().equals(id)).findFirst().ifPresentOrElse(chosen::add,
                    () -> problems.add("unknown prompt '" + id + "': ingest it with `apex prompts ingest` or "
                            + "leave promptIds out to run every prompt"));
        }
        return chosen;
    }

    private static String summarise(List<String> problems) {
        return problems.size() == 1 ? problems.get(0) : problems.size() + " problems: " + problems.get(0) + " (and "
                + (problems.size() - 1) + " more)";
    }

    /**
     * The run's requests, lane by lane, prompt by prompt, replicate by replicate, each built when it is read: a
     * 100,000-generation run would otherwise hold 100,000 requests in the planner's heap while its fan-out is
     * sent. Every read of one index yields an equal request (ids are derived from the run, lane, prompt and
     * replicate), so the list behaves as an immutable one.
     */
    private static final class PlannedRequests extends AbstractList<GenerationRequested>
            implements RandomAccess {
        private final RunRequested command;
        private final List<LaneRegistered> lanes;
        private final List<PromptIngested> prompts;
        private final int replicates;
        private final int perLane;
        private final Instant now;

        PlannedRequests(RunRequested command, List<LaneRegistered> lanes, List<PromptIngested> prompts,
                        int replicates, Instant now) {
            this.command = command;
            this.lanes = List.copyOf(lanes);
            this.prompts = List.copyOf(prompts);
            this.replicates = replicates;
            this.perLane = prompts.size() * replicates;
            this.now = now;
        }

        @Override
        public int size() {
            return lanes.size() * perLane;
        }

        @Override
        public GenerationRequested get(int index) {
            Objects.checkIndex(index, size());
            LaneRegistered lane = lanes.get(index / perLane);
            PromptIngested prompt = prompts.get(index % perLane / replicates);
            int replicate = index % replicates + 1;
            String generationId = EventIds.generationId(command.runId(), lane.slug(), prompt.promptId(), replicate);
            return new GenerationRequested(
                    EventIds.nameUuid("GenerationRequested", generationId, "1"),
                    GenerationRequested.SCHEMA_VERSION, now, command.runId(), generationId, 1,
                    lane.conditionId(), lane.slug(), lane.provider(), lane.model(), lane.apiModelId(),
                    lane.parameters(), prompt.promptId(), prompt.version(), prompt.text(),
                    prompt.sharedContext(), replicate, command.mode(), command.verifyFirst(),
                    command.dryRun(), command.cache(), perLane);
        }
    }
}
