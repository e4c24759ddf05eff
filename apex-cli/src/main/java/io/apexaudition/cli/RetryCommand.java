package io.apexaudition.cli;

import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code apex retry RUN_ID}: sends again, as a new attempt in a new batch, only the generations that ended in a
 * retryable error (expired, canceled, rate limit, server, timeout, unknown outcome, not sent...: {@code ErrorKind}
 * says which; never an invalid request).
 */
@Command(name = "retry", description = "Resubmit a run's generations that ended in a retryable error, as a new "
        + "attempt (the earlier attempts stay in apex_audition.generation_attempts).")
class RetryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--condition-slug", description = "Only these lanes (repeatable).")
    List<String> slugs;

    @Option(names = "--wait", description = "Wait until every retried generation is final.")
    boolean await;

    @Option(names = "--timeout", defaultValue = "86400", description = "Seconds --wait waits at most.")
    long timeoutSeconds;

    @Mixin
    StackOptions.Broker broker;

    /** The error kinds this command sends again, as the tables spell them. */
    static List<String> retryableKinds() {
        return Arrays.stream(ErrorKind.values()).filter(ErrorKind::retryable)
                .map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public Integer call() throws Exception {
        StackSettings stack = StackSettings.fromEnvironment();
        List<String> retryable = retryableKinds();
        List<RetryRequested.Item> items = new ArrayList<>();
        RunMode mode;
        boolean cache;
        try (Connection c = stack.connect()) {
            try (PreparedStatement p = c.prepareStatement("SELECT mode, cache FROM apex_audition.runs WHERE id = ? "
                    + "AND status <> 'rejected'")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        System.err.println("apex: no accepted run '" + runId + "': check the id with 'apex status "
                                + runId + "'");
                        return 1;
                    }
                    mode = "sync".equals(rs.getString(1)) ? RunMode.SYNC : RunMode.BATCH;
                    cache = rs.getBoolean(2);
                }
            }
            String sql = "SELECT id, attempt, condition_id, lane_id, prompt_id, COALESCE(prompt_version, 1), "
                    + "COALESCE(replicate, 1) FROM apex_audition.generations WHERE run_id = ? AND status = 'error' "
                    + "AND error_kind = ANY (?)" + (slugs == null ? "" : " AND lane_id = ANY (?)") + " ORDER BY id";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, runId);
                p.setArray(2, c.createArrayOf("text", retryable.toArray()));
                if (slugs != null) {
                    p.setArray(3, c.createArrayOf("text", slugs.toArray()));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        items.add(new RetryRequested.Item(rs.getString(1), rs.getInt(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getInt(6), rs.getInt(7)));
                    }
                }
            }
        }
        if (items.isEmpty()) {
            System.out.println("Nothing to retry: run " + runId + " has no generation in a retryable error ("
                    + String.join(", ", retryable) + "). Invalid requests are never retried: fix the lane instead.");
            return 0;
        }
        String retryId = "retry-" + EventIds.newEventId();
        try (EventProducer producer = new EventProducer(broker.servers)) {
            producer.publish(Topics.RUN_COMMANDS.name(), new RetryRequested(EventIds.newEventId(),
                    RetryRequested.SCHEMA_VERSION, Instant.now(), runId, retryId, mode, cache, items));
        }
        System.out.println("Retrying " + items.size() + " generation(s) of " + runId + " as " + retryId);
        return await ? waitFor(stack, items) : 0;
    }

    private int waitFor(StackSettings stack, List<RetryRequested.Item> items) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            int done = 0;
            int completed = 0;
            try (Connection c = stack.connect(); PreparedStatement p = c.prepareStatement(
                    "SELECT status FROM apex_audition.generations WHERE id = ? AND attempt > ?")) {
                for (RetryRequested.Item item : items) {
                    p.setString(1, item.generationId());
                    p.setInt(2, item.attempt());
                    try (ResultSet rs = p.executeQuery()) {
                        if (rs.next() && List.of("completed", "error").contains(rs.getString(1))) {
                            done++;
                            completed += "completed".equals(rs.getString(1)) ? 1 : 0;
                        }
                    }
                }
            }
            if (done != last) {
                System.out.printf("  %d/%d retried generations final (%d completed)%n", done, items.size(), completed);
                last = done;
            }
            if (done == items.size()) {
                return 0;
            }
            Thread.sleep(1000);
        }
        System.err.println("apex: stopped waiting; the retry goes on. Follow it with: apex status " + runId);
        return 3;
    }
}
