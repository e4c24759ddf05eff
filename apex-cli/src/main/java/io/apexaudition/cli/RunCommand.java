package io.apexaudition.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RunRequested;
import io.apexaudition.events.Topics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code apex run}: publishes a run command (the seed's flags) and, with --wait, shows progress per lane. */
@Command(name = "run", description = "Publish a run command to apex.run-commands and print its run id.")
class RunCommand implements Callable<Integer> {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(RunCommand.class.getName());


    @ArgGroup(exclusive = true, multiplicity = "1")
    LaneChoice lanes;

    @Option(names = "--verify-first", description = "One synchronous request per lane before its batch.")
    boolean verifyFirst;

    @Option(names = "--prompt-id", paramLabel = "ID", description = "Only these prompts (repeatable; default: every "
            + "ingested prompt).")
    List<String> promptIds = List.of();

    @Option(names = "--limit", description = "Only the first N prompts.")
    Integer limit;

    @Option(names = "--replicates", defaultValue = "1", description = "Generations per lane x prompt (default 1).")
    int replicates;

    @Option(names = "--created-by", description = "Who runs it (recorded with the run; required to run).")
    String createdBy;

    @Option(names = "--notes", description = "Why (recorded with the run; required to run).")
    String notes;

    @Option(names = "--ingest", description = "Ingest the prompts first (as `apex prompts ingest`): the original "
            + "scripts' step 2.")
    boolean ingest;

    @Option(names = "--register-only", description = "Register the lanes (as `apex lanes register`), ingest the "
            + "prompts with --ingest, and publish no run: the original scripts' `--ingest --register-only`.")
    boolean registerOnly;

    @Option(names = "--run-id", description = "Choose the run id (default: a new one).")
    String runId;

    @Option(names = "--log-level", defaultValue = "INFO", description = "The CLI's own log level: DEBUG, INFO, WARN "
            + "or ERROR (DEBUG prints the command it publishes). The services take APEX_LOG_LEVEL (./apex up "
            + "--log-level LEVEL).")
    String logLevel;

    @Mixin
    SendOptions send;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        CliLog.level(logLevel);
        if (registerOnly && cli("lanes", "register", "--planner-url", send.planner.url) != 0) {
            return 1;
        }
        if ((ingest || registerOnly) && cli("prompts", "ingest", "--planner-url", send.planner.url) != 0) {
            return 1;
        }
        if (registerOnly) {
            System.err.println("Registered; no run published. Run with: apex run --condition-slug SLUG --batch-mode "
                    + "--created-by NAME --notes WHY");
            return 0;
        }
        if (createdBy == null || createdBy.isBlank() || notes == null || notes.isBlank()) {
            System.err.println("apex: a run needs --created-by NAME and --notes WHY (both are recorded with it)");
            return 2;
        }
        String id = runId != null ? runId : EventIds.newRunId();
        RunRequested command = new RunRequested(EventIds.newEventId(), RunRequested.SCHEMA_VERSION, Instant.now(), id,
                lanes.allLanes ? List.of() : lanes.slugs, lanes.allLanes, send.mode(), verifyFirst, send.dryRun, limit,
                replicates, !send.noCache, createdBy, notes, promptIds);
        LOG.fine(() -> "publishing to " + Topics.RUN_COMMANDS.name() + ": " + EventJson.write(command));
        return send.publishAndFollow(command, id, new PrintWriter(out, true), new PrintWriter(System.err, true),
                "Published. Follow it with: apex status " + id + "   (or run again with --wait)");
    }

    private static int cli(String... args) {
        return ApexCli.execute(args);
    }

    /** Shows a run's progress per lane from the planner's live state until every generation is final. */
    static final class ProgressWatcher {
        private final StackSettings stack;
        private final String plannerUrl;
        private final PrintStream out;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

        ProgressWatcher(StackSettings stack, String plannerUrl, PrintStream out) {
            this.stack = stack;
            this.plannerUrl = plannerUrl;
            this.out = out;
        }

        int watch(String runId, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            Progress shown = new Progress(System.console() != null);
            while (System.nanoTime() < deadline) {
                String rejected = rejection(runId);
                if (rejected != null) {
                    System.err.println("apex: run " + runId + " was rejected: " + rejected);
                    System.err.println("Fix the command and publish it again with a new run id.");
                    return 1;
                }
                JsonNode p = progress(runId);
                if (p != null) {
                    out.print(shown.next(lines(p)));
                    out.flush();
                    int fin = p.path("completed").asInt() + p.path("errors").asInt() + p.path("dryRun").asInt();
                    if (fin >= p.path("expected").asInt() && p.path("expected").asInt() > 0) {
                        awaitRecorded(runId, p.path("expected").asInt(), deadline);
                        out.printf("Run %s finished: %d completed, %d errors, %d dry runs, cost $%s%n", runId,
                                p.path("completed").asInt(), p.path("errors").asInt(), p.path("dryRun").asInt(),
                                p.path("costUsd").asText("0"));
                        if (p.path("errors").asInt() > 0) {
                            out.println("See the errors with: apex report " + runId + "; resubmit the retryable "
                                    + "ones with: apex retry " + runId);
                        }
                        return 0;
                    }
                }
                Thread.sleep(1000);
            }
            System.err.println("apex: stopped waiting after " + timeout.toSeconds() + " s; the run goes on. "
                    + "Follow it with: apex status " + runId);
            return 3;
        }

        /** Progress is counted from the topics; wait until the database shows the same, so a report is complete. */
        private void awaitRecorded(String runId, int expected, long deadline) throws InterruptedException {
            boolean told = false;
            while (System.nanoTime() < deadline) {
                try (Connection c = stack.connect(); PreparedStatement p = c.prepareStatement("SELECT count(*) FROM "
                        + "apex_audition.generations WHERE run_id = ? AND status IN ('completed', 'error', 'dry_run')")) {
                    p.setString(1, runId);
                    try (ResultSet rs = p.executeQuery()) {
                        if (rs.next() && rs.getInt(1) >= expected) {
                            return;
                        }
                    }
                } catch (java.sql.SQLException e) {
                    System.err.println("apex: cannot read Postgres to confirm the results are recorded ("
                            + e.getMessage() + ")");
                    return;
                }
                if (!told) {
                    out.println("All final; waiting for the recorder to write the last rows...");
                    told = true;
                }
                Thread.sleep(500);
            }
        }

        private JsonNode progress(String runId) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(plannerUrl + "/api/runs/" + runId
                        + "/progress")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? EventJson.mapper().readTree(r.body()) : null;
            } catch (Exception e) {
                return null;
            }
        }

        private String rejection(String runId) {
            try (Connection c = stack.connect(); PreparedStatement p = c.prepareStatement(
                    "SELECT reason FROM apex_audition.runs WHERE id = ? AND status = 'rejected'")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (Exception e) {
                return null;
            }
        }

        /** The progress as lines: the run's total first, then one per lane. */
        static List<String> lines(JsonNode p) {
            List<String> lines = new java.util.ArrayList<>();
            int expected = p.path("expected").asInt();
            int fin = p.path("completed").asInt() + p.path("errors").asInt() + p.path("dryRun").asInt();
            lines.add(String.format("%d/%d final", fin, expected));
            for (JsonNode lane : p.path("lanes")) {
                int e = lane.path("expected").asInt();
                int done = lane.path("completed").asInt() + lane.path("errors").asInt() + lane.path("dryRun").asInt();
                int bars = e == 0 ? 0 : done * 20 / e;
                lines.add(String.format("  %-18s [%-20s] %3d/%-3d completed %3d  errors %3d%s", lane.path("slug").asText(),
                        "#".repeat(bars), done, e, lane.path("completed").asInt(), lane.path("errors").asInt(),
                        lane.path("dryRun").asInt() > 0 ? "  dry runs " + lane.path("dryRun").asInt() : ""));
            }
            return lines;
        }
    }

    /**
     * What to print of each new progress view. On a terminal, the whole view whenever anything in it changed; to a
     * file or a pipe (CI logs, {@code | tee}), only the lines that changed, so a log grows with the run's events, not
     * with the seconds it takes.
     */
    static final class Progress {
        private final boolean terminal;
        private List<String> last = List.of();

        Progress(boolean terminal) {
            this.terminal = terminal;
        }

        String next(List<String> lines) {
            if (lines.equals(last)) {
                return "";
            }
            String time = "[" + Instant.now().toString().substring(11, 19) + "] ";
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                boolean changed = i >= last.size() || !lines.get(i).equals(last.get(i));
                if (terminal || changed) {
                    b.append(i == 0 ? time : "").append(i > 0 && !terminal ? time : "").append(lines.get(i))
                            .append(System.lineSeparator());
                }
            }
            last = List.copyOf(lines);
            return b.toString();
        }
    }
}
