package io.apexaudition.cli;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;
import io.apexaudition.events.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The demo on a running stack: registers the 15 lanes, ingests the 21 prompts, publishes a dry-run command for
 * every lane over the first prompts, shows progress per lane while the recorder writes, then the seed's
 * "View Lane Coverage" for the run and one recorded request body.
 */
@Command(name = "demo", description = "Register the lanes and prompts, dry-run every lane through the running "
        + "stack, and show what was recorded.")
class DemoCommand implements Callable<Integer> {

    @Option(names = "--limit", defaultValue = "3", description = "Prompts per lane (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--timeout", defaultValue = "180", description = "Seconds to wait (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        StackSettings stack = StackSettings.fromEnvironment();
        out.println("== 1/4 registering lanes (apex lanes register)");
        if (new CommandLine(new ApexCli()).execute("lanes", "register") != 0) {
            return 1;
        }
        out.println("== 2/4 ingesting prompts (apex prompts ingest)");
        if (new CommandLine(new ApexCli()).execute("prompts", "ingest") != 0) {
            return 1;
        }
        String runId = "demo-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
        out.println("== 3/4 publishing run " + runId + " to " + Topics.RUN_COMMANDS.name()
                + ": every lane, first " + limit + " prompts, dry run (no provider is called)");
        try (EventProducer producer = new EventProducer(stack.kafka())) {
            producer.publish(Topics.RUN_COMMANDS.name(), new RunRequested(EventIds.newEventId(),
                    RunRequested.SCHEMA_VERSION, Instant.now(), runId, List.of(), true, RunMode.BATCH, false, true,
                    limit, 1, true, System.getProperty("user.name"), "apex demo", List.of()));
        }
        out.println("== 4/4 waiting for the recorder");
        return await(stack, runId);
    }

    private int await(StackSettings stack, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String lastLine = "";
        while (System.nanoTime() < deadline) {
            try (Connection c = stack.connect()) {
                String rejected = single(c, "SELECT reason FROM apex_audition.runs WHERE id = ? AND status = 'rejected'",
                        runId);
                if (rejected != null) {
                    System.err.println("apex: run " + runId + " was rejected: " + rejected);
                    return 1;
                }
                String expected = single(c, "SELECT expected_generations FROM apex_audition.runs WHERE id = ?", runId);
                Map<String, Integer> done = perLane(c, runId);
                int total = done.values().stream().mapToInt(Integer::intValue).sum();
                String line = "   " + total + "/" + (expected == null ? "?" : expected) + " recorded  " + done;
                if (!line.equals(lastLine)) {
                    out.println(line.length() > 200 ? line.substring(0, 200) + "..." : line);
                    lastLine = line;
                }
                if (expected != null && total == Integer.parseInt(expected)) {
                    printCoverage(c, runId);
                    return 0;
                }
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains("does not exist")) {
                    throw e;
                }
            }
            Thread.sleep(500);
        }
        System.err.println("apex: run " + runId + " did not finish within " + timeoutSeconds
                + " s: check './apex status' and './apex logs planner'");
        return 1;
    }

    private static Map<String, Integer> perLane(Connection c, String runId) throws SQLException {
        Map<String, Integer> done = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT lane_id, count(*) FROM apex_audition.generations "
                + "WHERE run_id = ? AND status IN ('dry_run', 'completed', 'error') GROUP BY lane_id ORDER BY lane_id")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    done.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return done;
    }

    private void printCoverage(Connection c, String runId) throws SQLException {
        out.println();
        out.println("Lane coverage of run " + runId + " (apex_audition.generations):");
        out.printf("  %-18s %6s %8s %7s%n", "lane", "total", "dry_run", "errors");
        try (PreparedStatement p = c.prepareStatement("SELECT lane_id, count(*), count(*) FILTER (WHERE status = "
                + "'dry_run'), count(*) FILTER (WHERE status = 'error') FROM apex_audition.generations "
                + "WHERE run_id = ? GROUP BY lane_id ORDER BY lane_id")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.printf("  %-18s %6d %8d %7d%n", rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4));
                }
            }
        }
        String body = single(c, "SELECT request_body FROM apex_audition.generations WHERE run_id = ? "
                + "AND lane_id = 'sonnet.t1-0.ext' LIMIT 1", runId);
        if (body != null) {
            out.println();
            out.println("The request recorded for one sonnet.t1-0.ext generation (shared context shortened):");
            out.println("  " + body.replaceAll("(\"text\":\").{80,}?(\",\"cache_control)", "$1...$2"));
        }
        out.println();
        out.println("Query it yourself: . .apex/stack.env && psql -c \"SELECT lane_id, status, count(*) FROM "
                + "apex_audition.generations WHERE run_id = '" + runId + "' GROUP BY 1, 2\"");
    }

    private static String single(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, arg);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
