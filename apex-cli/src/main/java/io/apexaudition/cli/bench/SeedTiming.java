package io.apexaudition.cli.bench;

import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.PromptLibrary;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's seed step: the seed's audition (15 lanes x 21 prompts) against an instant provider (simulator latency
 * 0, no faults), run command to last row, in batch mode (target 5 s) and in synchronous mode (target 2 s), which the
 * dispatchers' pacing and commits set, not the provider. The dispatchers' synchronous concurrency is theirs
 * ({@code APEX_DISPATCHER_SYNC_CONCURRENCY}, default 8); the synchronous target is at 8.
 */
final class SeedTiming {
    static final String BATCH_KEY = "seed.seconds";
    static final String SYNC_KEY = "seed.sync.seconds";
    static final double BATCH_TARGET_SECONDS = 5;
    static final double SYNC_TARGET_SECONDS = 2;

    private SeedTiming() {
    }

    static void measure(BenchCommand bench, int run, RunMode mode) throws Exception {
        boolean sync = mode == RunMode.SYNC;
        String concurrency = System.getenv().getOrDefault("APEX_DISPATCHER_SYNC_CONCURRENCY", "8");
        bench.step("the seed's audition (config/creative_benchmark.yaml x config/prompts)"
                + (sync ? " in synchronous mode" : "") + ", instant provider"
                + (sync ? ", dispatcher concurrency " + concurrency : ""));
        List<LaneDefinition> lanes = LaneConfig.load(BenchCommand.configDir().resolve("creative_benchmark.yaml")).lanes();
        List<PromptSpec> prompts = PromptLibrary.load(BenchCommand.configDir().resolve("prompts"));
        bench.post(bench.planner.url + "/api/lanes", Map.of("lanes", lanes), 200);
        bench.post(bench.planner.url + "/api/prompts", Map.of("prompts", prompts), 200);
        bench.simulator(0);
        int expected = lanes.size() * prompts.size();
        String runId = "bench-seed-" + (sync ? "sync-" : "") + run + "-" + Long.toString(System.currentTimeMillis(), 36);
        RunRequested command = new RunRequested(EventIds.newEventId(), RunRequested.SCHEMA_VERSION, Instant.now(), runId,
                lanes.stream().map(LaneDefinition::slug).toList(), false, mode, false, false, null, 1, true,
                "apex bench", sync ? "bench seed, synchronous" : "bench seed",
                prompts.stream().map(PromptSpec::id).toList());
        BenchCommand.Timeline t;
        try (StageClock clock = new StageClock(bench.broker.servers).start()) {
            long t0 = System.currentTimeMillis();
            bench.publish(command);
            t = bench.awaitRows(runId, expected, t0, clock);
        }
        double seconds = (t.lastRow() - t.t0()) / 1000.0;
        if (sync) {
            bench.report.add(SYNC_KEY, "seed's " + expected + " synchronous, command to last row (concurrency "
                    + concurrency + ")", "s", seconds);
        } else {
            bench.report.add(BATCH_KEY, "seed's " + expected + ", command to last row", "s", seconds);
        }
        bench.say(String.format(Locale.ROOT, "%d %sgenerations recorded %.2f s after the command", expected,
                sync ? "synchronous " : "", seconds));
    }

    static void judge(BenchReport report) {
        if (report.has(BATCH_KEY)) {
            report.target(BATCH_KEY, BenchReport.Goal.AT_MOST, BATCH_TARGET_SECONDS);
        }
        if (report.has(SYNC_KEY)) {
            report.target(SYNC_KEY, BenchReport.Goal.AT_MOST, SYNC_TARGET_SECONDS);
        }
    }
}
