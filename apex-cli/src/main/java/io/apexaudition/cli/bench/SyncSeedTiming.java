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
 * The seed's audition (15 lanes x 21 prompts) in synchronous mode against an instant provider (simulator latency 0,
 * no faults): run command to last row, which the dispatchers' pacing and commits set, not the provider. The
 * dispatchers' concurrency is theirs ({@code APEX_DISPATCHER_SYNC_CONCURRENCY}, default 8); the target is at 8.
 */
final class SyncSeedTiming {
    static final String KEY = "seed.sync.seconds";
    static final double TARGET_SECONDS = 2;

    private SyncSeedTiming() {
    }

    static void measure(BenchCommand bench, int run) throws Exception {
        String concurrency = System.getenv().getOrDefault("APEX_DISPATCHER_SYNC_CONCURRENCY", "8");
        bench.step("the seed's audition in synchronous mode, instant provider, dispatcher concurrency " + concurrency);
        List<LaneDefinition> lanes = LaneConfig.load(BenchCommand.configDir().resolve("creative_benchmark.yaml")).lanes();
        List<PromptSpec> prompts = PromptLibrary.load(BenchCommand.configDir().resolve("prompts"));
        bench.post(bench.planner.url + "/api/lanes", Map.of("lanes", lanes), 200);
        bench.post(bench.planner.url + "/api/prompts", Map.of("prompts", prompts), 200);
        bench.simulator(0);
        int expected = lanes.size() * prompts.size();
        String runId = "bench-seed-sync-" + run + "-" + Long.toString(System.currentTimeMillis(), 36);
        RunRequested command = new RunRequested(EventIds.newEventId(), RunRequested.SCHEMA_VERSION, Instant.now(), runId,
                lanes.stream().map(LaneDefinition::slug).toList(), false, RunMode.SYNC, false, false, null, 1, true,
                "apex bench", "bench seed, synchronous", prompts.stream().map(PromptSpec::id).toList());
        BenchCommand.Timeline t;
        try (StageClock clock = new StageClock(bench.broker.servers).start()) {
            long t0 = System.currentTimeMillis();
            bench.publish(command);
            t = bench.awaitRows(runId, expected, t0, clock);
        }
        double seconds = (t.lastRow() - t.t0()) / 1000.0;
        bench.report.add(KEY, "seed's " + expected + " synchronous, command to last row (concurrency " + concurrency
                + ")", "s", seconds);
        bench.say(String.format(Locale.ROOT, "%d synchronous generations recorded %.2f s after the command", expected,
                seconds));
    }

    static void judge(BenchReport report) {
        if (report.has(KEY)) {
            report.target(KEY, BenchReport.Goal.AT_MOST, TARGET_SECONDS);
        }
    }
}
