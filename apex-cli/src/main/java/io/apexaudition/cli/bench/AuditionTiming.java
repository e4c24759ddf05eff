package io.apexaudition.cli.bench;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's audition step: one run of the generated lanes x prompts in batch mode against instant batches, timed
 * from the run command to the last row, stage by stage (the watcher's {@link StageClock}), with the CPU every
 * process of the stack spent on it ({@link CpuClock}).
 */
final class AuditionTiming {
    private AuditionTiming() {
    }

    /** Runs the audition, adds its figures to the bench report and returns its run id. */
    static String measure(BenchCommand bench, int run, int size, List<String> lanes, List<String> prompts)
            throws Exception {
        return measure(bench, run, size, lanes, prompts, "audition.", "", true);
    }

    /**
     * The same with the figures under {@code prefix} + size, their labels ending in {@code labelSuffix}; the CPU
     * figures only when {@code cpuFigures} (they count the processes of the stack's pid files, so not a run with
     * instances started beside them).
     */
    static String measure(BenchCommand bench, int run, int size, List<String> lanes, List<String> prompts,
                          String prefix, String labelSuffix, boolean cpuFigures) throws Exception {
        String tag = BenchCommand.label(size) + labelSuffix;
        int expected = lanes.size() * prompts.size();
        bench.step("audition " + lanes.size() + " lanes x " + prompts.size() + " prompts = " + expected + ", " + BenchCommand.label(size)
                + " outputs, instant batches" + labelSuffix);
        bench.simulator(size);
        String runId = "bench-" + run + "-" + size + "-" + Long.toString(System.currentTimeMillis(), 36);
        RunRequested command = new RunRequested(EventIds.newEventId(), RunRequested.SCHEMA_VERSION, Instant.now(), runId,
                lanes, false, RunMode.BATCH, false, false, null, 1, true, "apex bench", "bench " + tag, prompts);
        BenchCommand.Timeline timeline;
        Map<String, Double> cpuBefore = CpuClock.read(BenchCommand.apexHome().resolve("pids"));
        try (StageClock clock = new StageClock(bench.broker.servers).start()) {
            long t0 = System.currentTimeMillis();
            bench.publish(command);
            timeline = bench.awaitRows(runId, expected, t0, clock);
        }
        Map<String, Double> cpu = CpuClock.since(cpuBefore, CpuClock.read(BenchCommand.apexHome().resolve("pids")));
        String p = prefix + size + ".";
        bench.report.add(p + "e2e", "end to end, run command to last row (" + tag + ")", "generations/s", timeline.rate(expected, timeline.t0(), timeline.lastRow()));
        bench.report.add(p + "fanout", "fan-out: command to last GenerationRequested (" + tag + ")", "generations/s", timeline.rate(expected, timeline.t0(), timeline.requested().last));
        bench.report.add(p + "submission", "submission: first request to last BatchSubmitted (" + tag + ")", "generations/s", timeline.rate(expected, timeline.requested().first, timeline.submitted().last));
        bench.report.add(p + "ingestion", "ingestion: first BatchSubmitted to last result (" + tag + ")", "generations/s", timeline.rate(expected, timeline.submitted().first, timeline.completed().last));
        bench.report.add(p + "recording", "recording: first result to last row (" + tag + ")", "generations/s", timeline.rate(expected, timeline.completed().first, timeline.lastRow()));
        bench.report.add(p + "seconds", "end to end (" + tag + ")", "s", (timeline.lastRow() - timeline.t0()) / 1000.0);
        if (cpuFigures) {
            cpu(bench, p, tag, expected, cpu, (timeline.lastRow() - timeline.t0()) / 1000.0);
        }
        bench.say(String.format(Locale.ROOT, "done in %.1f s: %.0f generations/s end to end; last request +%.1f s, first/last "
                        + "batch +%.1f/+%.1f s (%d batches), first/last result +%.1f/+%.1f s, last row +%.1f s",
                (timeline.lastRow() - timeline.t0()) / 1000.0, bench.last(p + "e2e"), sec(timeline, timeline.requested().last),
                sec(timeline, timeline.submitted().first), sec(timeline, timeline.submitted().last), timeline.submitted().count,
                sec(timeline, timeline.completed().first), sec(timeline, timeline.completed().last), sec(timeline, timeline.lastRow())));
        return runId;
    }

    /**
     * Where the cores went: CPU milliseconds per generation of every process of the stack, and the rate the
     * machine's cores could sustain at that cost if nothing waited (cores x 1000 / total ms per generation).
     */
    private static void cpu(BenchCommand bench, String p, String tag, int expected, Map<String, Double> cpu,
            double wallSeconds) {
        double total = 0;
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Double> e : cpu.entrySet()) {
            double msPerGeneration = 1000.0 * e.getValue() / expected;
            total += msPerGeneration;
            bench.report.add(p + "cpu." + e.getKey(), "CPU per generation, " + e.getKey() + " (" + tag + ")", "ms",
                    msPerGeneration);
            line.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), msPerGeneration));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        // issue 18's budget is the services' own: the simulator stands in for the providers, Kafka and Postgres are
        // the raw limits, and the bench's topic watcher is the measuring tool
        double services = 1000.0 * java.util.Arrays.stream(BenchCommand.SERVICES).mapToDouble(s -> cpu.getOrDefault(s, 0.0))
                .sum() / expected;
        bench.report.add(p + "cpu.services", "CPU per generation, the services' own (" + tag + ")", "ms", services);
        bench.report.add(p + "cpu.total", "CPU per generation, whole stack (" + tag + ")", "ms", total);
        bench.report.add(p + "cpu.busy", "cores busy during the audition (" + tag + ")", "of " + cores,
                total * expected / 1000.0 / wallSeconds);
        bench.report.add(p + "cpu.ceiling", "CPU ceiling: cores / CPU per generation (" + tag + ")", "generations/s",
                cores * 1000.0 / total);
        // the simulator stands in for the providers, whose work is not on this machine in a real run
        double withoutProvider = total - 1000.0 * cpu.getOrDefault("simulator", 0.0) / expected;
        bench.report.add(p + "cpu.ceiling.system", "CPU ceiling without the simulator's share (" + tag + ")",
                "generations/s", cores * 1000.0 / withoutProvider);
        bench.say(String.format(Locale.ROOT, "CPU ms per generation:%s; total %.2f ms, %.2f of %d cores busy", line, total,
                total * expected / 1000.0 / wallSeconds, cores));
    }


    private static double sec(BenchCommand.Timeline t, long at) {
        return (at - t.t0()) / 1000.0;
    }
}
