package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.RunProgress;
import io.apexaudition.planner.domain.SourceRuns;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever order a run's results arrive in, redelivered or retried, with or without the store cache the service
 * runs with: each generation counts once, with the latest attempt that arrived, and the last RunCompleted and the
 * live progress say exactly that.
 */
class RunProgressPropertyTest {
    private static final List<String> LANES = List.of("4o.t0-6", "o3.med", "s45.t1");

    /** One result as published: which generation, which attempt, which status, what it cost. */
    record Result(int lane, int prompt, int attempt, GenerationStatus status, int costCents) {
    }

    /** A run: how many prompts per lane, the results in arrival order, and the seed of the shuffle. */
    record Scenario(int lanes, int prompts, List<Result> results) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> lanes = Arbitraries.integers().between(1, LANES.size());
        Arbitrary<Integer> prompts = Arbitraries.integers().between(1, 4);
        return Combinators.combine(lanes, prompts, Arbitraries.longs(), Arbitraries.integers().between(0, 12))
                .as((l, p, seed, extra) -> scenario(l, p, new Random(seed), extra));
    }

    /** Every generation gets a final result; then extra results of any kind, then a shuffle and some redeliveries. */
    private static Scenario scenario(int lanes, int prompts, Random random, int extra) {
        List<Result> results = new ArrayList<>();
        GenerationStatus[] all = GenerationStatus.values();
        GenerationStatus[] finals = {GenerationStatus.COMPLETED, GenerationStatus.ERROR, GenerationStatus.DRY_RUN};
        for (int l = 0; l < lanes; l++) {
            for (int p = 0; p < prompts; p++) {
                results.add(new Result(l, p, 1 + random.nextInt(3), finals[random.nextInt(3)], random.nextInt(5)));
            }
        }
        for (int i = 0; i < extra; i++) {
            results.add(new Result(random.nextInt(lanes), random.nextInt(prompts), 1 + random.nextInt(3),
                    all[random.nextInt(all.length)], random.nextInt(5)));
        }
        java.util.Collections.shuffle(results, random);
        int redeliveries = random.nextInt(4);
        for (int i = 0; i < redeliveries; i++) {
            results.add(random.nextInt(results.size() + 1), results.get(random.nextInt(results.size())));
        }
        return new Scenario(lanes, prompts, results);
    }

    @Property(tries = 60)
    void shouldCountEachGenerationOnceWithItsLatestAttempt(@ForAll("scenarios") Scenario scenario,
                                                          @ForAll boolean cached) {
        // given an accepted run
        try (PlannerDriver planner = new PlannerDriver("progress-property", RunPlanner.Caps.DEFAULT, SourceRuns.NONE,
                cached ? 10 * 1024 * 1024 : 0)) {
            String runId = "run-prop";
            List<PlannedLane> planned = new ArrayList<>();
            for (int l = 0; l < scenario.lanes(); l++) {
                planned.add(new PlannedLane("c" + l, LANES.get(l), "openai", "gpt-4o", scenario.prompts()));
            }
            List<String> promptIds = new ArrayList<>();
            for (int p = 0; p < scenario.prompts(); p++) {
                promptIds.add("p" + p);
            }
            planner.runsIn.pipeInput(runId, EventJson.write(new RunAccepted("a", 1, Fixtures.AT, runId,
                    RunMode.BATCH, false, false, true, null, 1, "ada", null, planned, promptIds,
                    scenario.lanes() * scenario.prompts())));

            // when its results arrive in the scenario's order
            Map<String, Result> latest = new HashMap<>();
            for (Result r : scenario.results()) {
                GenerationCompleted event = event(runId, r);
                planner.results.pipeInput(event.key(), EventJson.write(event));
                String generation = r.lane() + "/" + r.prompt();
                Result kept = latest.get(generation);
                if (r.status().isFinal() && (kept == null || r.attempt() >= kept.attempt())) {
                    latest.put(generation, r);
                }
            }

            // then the last RunCompleted and the live progress hold the latest final of each generation, once
            int completed = count(latest, GenerationStatus.COMPLETED);
            int errors = count(latest, GenerationStatus.ERROR);
            int dryRun = count(latest, GenerationStatus.DRY_RUN);
            BigDecimal cost = latest.values().stream().map(RunProgressPropertyTest::cost)
                    .filter(java.util.Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
            List<RunCompleted> completions = planner.runs.readValuesToList().stream().map(EventJson::read)
                    .filter(RunCompleted.class::isInstance).map(RunCompleted.class::cast).toList();
            assertThat(completions).isNotEmpty();
            RunCompleted last = completions.get(completions.size() - 1);
            assertThat(List.of(last.completed(), last.errors(), last.dryRun()))
                    .as("completed, errors, dry runs").containsExactly(completed, errors, dryRun);
            assertThat(last.costUsd()).isEqualByComparingTo(cost);
            RunProgress progress = planner.driver.<String, RunProgress>getKeyValueStore(PlannerTopology.PROGRESS_STORE)
                    .get(runId);
            for (RunProgress.LaneProgress lane : progress.lanes()) {
                int l = LANES.indexOf(lane.slug());
                long laneFinal = latest.keySet().stream().filter(g -> g.startsWith(l + "/")).count();
                assertThat(lane.completed() + lane.errors() + lane.dryRun()).as(lane.slug()).isEqualTo(laneFinal);
            }
        }
    }

    private static int count(Map<String, Result> latest, GenerationStatus status) {
        return (int) latest.values().stream().filter(r -> r.status() == status).count();
    }

    private static BigDecimal cost(Result r) {
        return r.status() == GenerationStatus.DRY_RUN ? null : BigDecimal.valueOf(r.costCents(), 2);
    }

    private static GenerationCompleted event(String runId, Result r) {
        String slug = LANES.get(r.lane());
        String prompt = "p" + r.prompt();
        String id = EventIds.generationId(runId, slug, prompt, 1);
        return new GenerationCompleted("e-" + id + r, 1, Fixtures.AT, runId, id, r.attempt(), "c" + r.lane(), slug,
                prompt, 1, "openai", "gpt-4o", RunMode.BATCH, "b", EventIds.customId(id, r.attempt()), r.status(),
                r.status() == GenerationStatus.COMPLETED ? "text" : null, "stop", Usage.NONE, false, cost(r), null,
                null, null);
    }
}
