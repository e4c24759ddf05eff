package io.apexaudition.cli;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;
import io.apexaudition.events.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The walking-skeleton demo on a running stack: registers one lane and three prompts, publishes a dry-run
 * command for them, and shows the generation rows the recorder wrote, with progress while it waits.
 */
@Command(name = "demo", description = "Dry-run one lane x 3 prompts through the running stack and show the rows.")
class DemoCommand implements Callable<Integer> {
    static final String LANE = "4o.t0-8";

    @Option(names = "--timeout", description = "Seconds to wait for the rows (default ${DEFAULT-VALUE}).",
            defaultValue = "120")
    int timeoutSeconds;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        StackSettings stack = StackSettings.fromEnvironment();
        String runId = "demo-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
        Instant now = Instant.now();
        try (EventProducer producer = new EventProducer(stack.kafka())) {
            out.println("1/3 registering lane " + LANE + " and 3 prompts");
            LaneParameters params = new LaneParameters(0.8, 6000, null, null, null);
            producer.publish(Topics.LANES.name(), new LaneRegistered(EventIds.newEventId(), LaneRegistered.SCHEMA_VERSION,
                    now, EventIds.nameUuid("condition", LANE, "demo-v1"), LANE, 1, Providers.OPENAI, "gpt-4o", "gpt-4o",
                    params, "demo-v1", "GPT-4o, temperature 0.8"));
            for (int i = 1; i <= 3; i++) {
                String text = "Write a very short story (demo prompt " + i + ").";
                producer.publish(Topics.PROMPTS.name(), new PromptIngested(EventIds.newEventId(),
                        PromptIngested.SCHEMA_VERSION, now, "demo-p" + i, 1, EventIds.nameUuid(text),
                        "Demo prompt " + i, "story", text, null));
            }
            Thread.sleep(2000); // the planner's lane and prompt stores follow their topics within moments
            out.println("2/3 publishing dry-run command " + runId + " to " + Topics.RUN_COMMANDS.name());
            producer.publish(Topics.RUN_COMMANDS.name(), new RunRequested(EventIds.newEventId(),
                    RunRequested.SCHEMA_VERSION, Instant.now(), runId, List.of(LANE), false, RunMode.BATCH, false, true,
                    null, 1, true, System.getProperty("user.name"), "walking-skeleton demo",
                    List.of("demo-p1", "demo-p2", "demo-p3")));
        }
        out.println("3/3 waiting for the recorder to write the generations");
        return awaitRows(stack, runId);
    }

    private int awaitRows(StackSettings stack, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        int lastSeen = -1;
        while (System.nanoTime() < deadline) {
            try (Connection c = stack.connect()) {
                String rejected = single(c, "SELECT reason FROM apex_audition.runs WHERE id = ? AND status = 'rejected'",
                        runId);
                if (rejected != null) {
                    System.err.println("apex: run " + runId + " was rejected: " + rejected);
                    return 1;
                }
                int done = Integer.parseInt(single(c, "SELECT count(*) FROM apex_audition.generations "
                        + "WHERE run_id = ? AND status = 'dry_run'", runId));
                if (done != lastSeen) {
                    out.printf("    %d/3 generations recorded%n", done);
                    lastSeen = done;
                }
                if (done == 3) {
                    printRows(c, runId);
                    return 0;
                }
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains("does not exist")) {
                    throw e;
                }
            }
            Thread.sleep(500);
        }
        System.err.println("apex: the generations of " + runId + " did not all arrive within " + timeoutSeconds
                + " s: check './apex status' and './apex logs planner'");
        return 1;
    }

    private void printRows(Connection c, String runId) throws SQLException {
        out.println();
        out.println("apex_audition.generations for run " + runId + ":");
        try (PreparedStatement p = c.prepareStatement("SELECT lane_id, prompt_id, status, request_body "
                + "FROM apex_audition.generations WHERE run_id = ? ORDER BY prompt_id")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.printf("  %-8s %-8s %-8s %s%n", rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4));
                }
            }
        }
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
