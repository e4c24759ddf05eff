package io.apexaudition.cli.bench;

import java.util.List;

/** Issue 18's (and 16's) targets, and the judging of the bench's figures against them and against the raw limits. */
final class Targets {
    static final double E2E = 5_000;
    static final double REPLAY = 20_000;
    /** Issue 18: the end-to-end rate as a share of the same run's raw COPY of the generation row. */
    static final double E2E_OF_COPY = 0.5;
    /** Issue 18: the services' own CPU per generation (not the simulator's, Kafka's or Postgres's). */
    static final double SERVICES_CPU_MS = 0.25;
    static final double RSS_MB = 256;
    /** Issue 18: throughput with two instances at least that of one. */
    static final double SCALED_OF_SINGLE = 1.0;
    /** Issue 16: a run of 100,000 generations opens in the viewer in under a second. */
    static final double VIEWER_PAGE_MS = 1000;

    private Targets() {
    }

    /** Sets each figure's limit (the raw figure it is measured against) and its target, once every step ran. */
    static void judge(BenchReport report, List<Integer> outputChars) {
        for (int size : outputChars) {
            String p = "audition." + size + ".";
            if (!report.has(p + "e2e")) {
                continue;
            }
            if (report.has("raw.min." + size)) {
                report.limit(p + "e2e", "raw.min." + size);
                report.limit(p + "fanout", "raw.produce." + size);
                report.limit(p + "submission", "raw.produce." + size);
                report.limit(p + "ingestion", "raw.produce." + size);
                report.limit(p + "recording", "raw.copy." + size);
            }
            if (size == outputChars.get(0)) {
                report.target(p + "e2e", BenchReport.Goal.AT_LEAST, E2E);
                if (report.has("raw.copy." + size)) {
                    String key = p + "e2e.of-copy";
                    report.ratios(key, "end to end / raw Postgres COPY, run by run (" + BenchCommand.label(size)
                            + ")", p + "e2e", "raw.copy." + size);
                    report.target(key, BenchReport.Goal.AT_LEAST, E2E_OF_COPY);
                }
                if (report.has(p + "cpu.services")) {
                    report.target(p + "cpu.services", BenchReport.Goal.AT_MOST, SERVICES_CPU_MS);
                }
            }
        }
        String single = "audition." + outputChars.get(0) + ".e2e";
        String scaled = "scaled." + outputChars.get(0) + ".e2e";
        if (report.has(scaled) && report.has(single)) {
            report.ratios("scaled.of-single", "end to end with second instances / with one, run by run ("
                    + BenchCommand.label(outputChars.get(0)) + ")", scaled, single);
            report.target("scaled.of-single", BenchReport.Goal.AT_LEAST, SCALED_OF_SINGLE);
        }
        if (report.has("replay.rows")) {
            if (report.has("raw.copy." + outputChars.get(0))) {
                report.limit("replay.rows", "raw.copy." + outputChars.get(0));
            }
            report.target("replay.rows", BenchReport.Goal.AT_LEAST, REPLAY);
        }
        if (report.has("viewer.cold.full")) {
            report.target("viewer.cold.full", BenchReport.Goal.AT_MOST, VIEWER_PAGE_MS);
            report.target("viewer.full", BenchReport.Goal.AT_MOST, VIEWER_PAGE_MS);
        }
        SeedTiming.judge(report);
    }
}
