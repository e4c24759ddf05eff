package io.apexaudition.planner.domain;

import io.apexaudition.core.CostEstimator;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.core.TextChecks;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Turns a run command into a plan: either a {@link RunAccepted} with exactly one {@link GenerationRequested}
 * per lane x prompt x replicate, or a {@link RunRejected} that lists every problem with its fix. Pure: the
 * caller supplies the registered lanes and prompts, and publishes the outcome atomically.
 */
public final class RunPlanner {
    static final int MAX_REPLICATES = 100;

    private final Clock clock;
    private final Caps caps;
    private final ModelCatalog catalog;

    /** With the default caps and the bundled model catalog (the prices registration validated against). */
    public RunPlanner(Clock clock) {
        this(clock, Caps.DEFAULT, ModelCatalog.bundled());
    }

    public RunPlanner(Clock clock, Caps caps, ModelCatalog catalog) {
        this.clock = clock;
        this.caps = caps;
        this.catalog = catalog;
    }

    /**
     * The most one run may ask for: a typo (a replicate count, a lane list) or a hostile command must not fan
     * out millions of requests or commit a fortune before anyone looks. Raised per deployment, never per command.
     *
     * @param maxGenerations generations one run may plan ({@code APEX_PLANNER_MAX_RUN_GENERATIONS})
     * @param maxCostUsd     one run's worst case in USD: every generation using its lane's whole output budget, at
     *                       the price of the run's mode ({@code APEX_PLANNER_MAX_RUN_COST_USD})
     */
    public record Caps(long maxGenerations, BigDecimal maxCostUsd) {
        /** Room for the benchmark's 100,000-generation runs; the seed's whole audition is far below both. */
        public static final Caps DEFAULT = new Caps(200_000, new BigDecimal("5000"));
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
        Optional<String> runIdText = PlanChecks.runId(runId, problems);
        checkText(command, problems);

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
        boolean countable = command.replicates() >= 1 && command.replicates() <= MAX_REPLICATES
                && (command.limit() == null || command.limit() >= 1);
        if (command.limit() != null && command.limit() >= 1 && command.limit() < chosenPrompts.size()) {
            chosenPrompts = chosenPrompts.subList(0, command.limit());
        }
        if (countable) {
            checkCaps(command, chosenLanes, chosenPrompts, problems);
        }
        if (!problems.isEmpty()) {
            return new Rejected(PlanChecks.rejection(command.eventId(), runId, runIdText, problems, now,
                    rawCommand));
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
            if (slug == null || TextChecks.identifier("", slug).isPresent()) {
                continue; // reported by checkText, by position
            }
            PlanChecks.lane(slug, lanes, "lane", "`apex lanes register`", problems).ifPresent(chosen::add);
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
            if (id == null || TextChecks.identifier("", id).isPresent()) {
                continue; // reported by checkText, by position
            }
            sorted.stream().filter(p -> p.promptId().equals(id)).findFirst().ifPresentOrElse(chosen::add,
                    () -> problems.add("unknown prompt '" + id + "': ingest it with `apex prompts ingest` or "
                            + "leave promptIds out to run every prompt"));
        }
        return chosen;
    }

    /**
     * Text a person typed, before anything quotes or stores it: ids and names without control characters, notes
     * without any but tab, newline and carriage return, nothing absurdly long, no lone surrogates.
     */
    private static void checkText(RunRequested command, List<String> problems) {
        for (int i = 0; i < command.conditionSlugs().size(); i++) {
            TextChecks.identifier("conditionSlugs[" + i + "]", command.conditionSlugs().get(i))
                    .ifPresent(problems::add);
        }
        for (int i = 0; i < command.promptIds().size(); i++) {
            TextChecks.identifier("promptIds[" + i + "]", command.promptIds().get(i)).ifPresent(problems::add);
        }
        TextChecks.identifier("createdBy", command.createdBy()).ifPresent(problems::add);
        TextChecks.prose("notes", command.notes(), TextChecks.MAX_NOTES_CHARS).ifPresent(problems::add);
    }

    /** The run's size and worst-case cost against the caps; each problem names its figure, the cap and the knob. */
    private void checkCaps(RunRequested command, List<LaneRegistered> chosenLanes,
                           List<PromptIngested> chosenPrompts, List<String> problems) {
        long generations = (long) chosenLanes.size() * chosenPrompts.size() * command.replicates();
        Optional<String> tooMany = PlanChecks.overGenerations(caps, generations, "the run", "generations",
                "run fewer lanes, prompts (limit) or replicates, split it into several runs");
        if (tooMany.isPresent()) {
            problems.add(tooMany.get());
            return; // its cost would take as long to estimate as it is large
        }
        if (command.dryRun() || chosenLanes.isEmpty() || chosenPrompts.isEmpty()) {
            return; // a dry run calls no provider: it costs nothing
        }
        Optional<List<LaneSpec>> specs = PlanChecks.priced(chosenLanes, catalog, problems);
        if (specs.isEmpty()) {
            return;
        }
        List<PromptSpec> texts = chosenPrompts.stream().map(p -> new PromptSpec(p.promptId(), p.title(), p.genre(),
                p.text(), p.sharedContext())).toList();
        CostEstimator.Estimate estimate = new CostEstimator(catalog).estimate(specs.get(), texts,
                command.replicates(), command.cache());
        boolean batch = command.mode() == RunMode.BATCH;
        PlanChecks.overCost(caps, batch ? estimate.worstBatch() : estimate.worstSync(), generations, batch,
                "the run's", "generations", "run fewer lanes or prompts, lower the lanes' token budgets, try it "
                        + "first with dryRun").ifPresent(problems::add);
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
                    // the prompt by reference (claim check): the dispatcher reads its texts from apex.prompts
                    lane.parameters(), prompt.promptId(), prompt.version(), null, null, replicate,
                    command.mode(), command.verifyFirst(),
                    command.dryRun(), command.cache(), perLane);
        }
    }
}
