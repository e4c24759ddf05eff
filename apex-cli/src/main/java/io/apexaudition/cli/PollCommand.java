package io.apexaudition.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code apex poll --batch-id ID --provider P [--auto-retrieve]}, as in the seed. The poller service already polls
 * every open batch and retrieves its results; this shows one batch's status as the poller records it, and with
 * --auto-retrieve waits until the batch has ended and its results are recorded.
 */
@Command(name = "poll", description = "Show a batch's status (the poller service polls and retrieves it); with "
        + "--auto-retrieve wait until its results are recorded.")
class PollCommand implements Callable<Integer> {

    @Option(names = "--batch-id", required = true, description = "The provider's batch id.")
    String batchId;

    @Option(names = "--provider", required = true, description = "openai or anthropic.")
    String provider;

    @Option(names = "--auto-retrieve", description = "Wait until the batch ended and its results are recorded.")
    boolean autoRetrieve;

    @Option(names = "--timeout", defaultValue = "86400", description = "Seconds to wait at most.")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        StackSettings stack = StackSettings.fromEnvironment();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String last = null;
        while (true) {
            try (Connection c = stack.connect(); PreparedStatement p = c.prepareStatement(
                    "SELECT b.status, b.terminal, b.request_count, b.request_counts::text, b.run_id, "
                            + "(SELECT count(*) FROM apex_audition.generations g WHERE g.batch_id = b.id "
                            + "AND g.status IN ('completed', 'error')) FROM apex_audition.batches b "
                            + "WHERE b.id = ? AND b.provider = ?")) {
                p.setString(1, batchId);
                p.setString(2, provider);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        System.err.println("apex: no " + provider + " batch '" + batchId + "' is recorded: check "
                                + "the id with 'apex status RUN_ID'");
                        return 1;
                    }
                    String line = String.format("[%s] %s batch %s (run %s): %s, %s requests, counts %s, %d results "
                                    + "recorded", Instant.now().toString().substring(11, 19), provider, batchId,
                            rs.getString(5), rs.getString(1), rs.getString(3), rs.getString(4), rs.getLong(6));
                    if (!line.substring(11).equals(last)) {
                        System.out.println(line);
                        last = line.substring(11);
                    }
                    boolean retrieved = rs.getBoolean(2) && rs.getLong(6) >= rs.getLong(3);
                    if (!autoRetrieve || retrieved) {
                        return 0;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                System.err.println("apex: stopped waiting; the poller keeps polling the batch.");
                return 3;
            }
            Thread.sleep(2000);
        }
    }
}
