package io.apexaudition.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's replay step: {@code POST /api/rebuild} (every table emptied and replayed from the topics), timed by the
 * recorder, as generation rows per second, with the CPU the recorder, Postgres and Kafka spent per row.
 */
final class ReplayTiming {
    private ReplayTiming() {
    }

    static void measure(BenchCommand bench) throws Exception {
        bench.step("replay: rebuilding every table from the topics (POST /api/rebuild)");
        Map<String, Double> cpuBefore = CpuClock.read(BenchCommand.apexHome().resolve("pids"));
        JsonNode answer = bench.post(bench.recorder.url + "/api/rebuild", Map.of(), 200);
        Map<String, Double> cpu = CpuClock.since(cpuBefore, CpuClock.read(BenchCommand.apexHome().resolve("pids")));
        long millis = answer.path("millis").asLong();
        long events = answer.path("events").asLong();
        long rows;
        try (Connection c = bench.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM apex_audition.generations")) {
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        bench.report.add("replay.rows", "replay into empty tables", "generation rows/s", BenchReport.perSecond(rows, millis));
        bench.report.add("replay.events", "replay into empty tables", "events/s", BenchReport.perSecond(events, millis));
        bench.say(String.format(Locale.ROOT, "replayed %d events into %d generation rows in %.1f s: %.0f rows/s", events, rows,
                millis / 1000.0, BenchReport.perSecond(rows, millis)));
        for (String process : List.of("recorder", "postgres", "kafka")) {
            bench.report.add("replay.cpu." + process, "replay CPU per generation row, " + process, "ms",
                    1000.0 * cpu.getOrDefault(process, 0.0) / Math.max(1, rows));
        }
        bench.say(String.format(Locale.ROOT, "replay CPU: recorder %.1f s, postgres %.1f s, kafka %.1f s",
                cpu.getOrDefault("recorder", 0.0), cpu.getOrDefault("postgres", 0.0), cpu.getOrDefault("kafka", 0.0)));
    }
}
