package io.apexaudition.cli;

import io.apexaudition.core.CostEstimator;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.JudgingRubric;
import io.apexaudition.events.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code apex judge RUN_ID}: publishes a judging pass over a completed run's outputs (docs/judging.md), and with
 * --wait follows it like {@code apex run --wait} and prints the leaderboard.
 */
@Command(name = "judge", description = "Judge a completed run: publish one JudgingRequested (its outputs, their "
        + "prompts, the rubric) to apex.run-commands as a judging run of its own; --wait follows it and prints the "
        + "leaderboard.")
class JudgeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_ID", description = "The completed run whose outputs are judged.")
    String sourceRunId;

    @Option(names = "--judge-lane", required = true, paramLabel = "SLUG", description = "A judge lane (repeatable; "
            + "registered with 'apex lanes register --config config/judging/judges.yaml').")
    List<String> judgeLanes;

    @Mixin
    PassOptions pass;

    @Mixin
    SendOptions send;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N prompts (by id) with outputs.")
    Integer limit;

    @Option(names = "--run-id", paramLabel = "ID", description = "The judging run's id (default: RUN_ID.judge-N, "
            + "the next free N).")
    String runId;

    @Option(names = "--created-by", description = "Who judges (default: the user name).")
    String createdBy;

    @Option(names = "--notes", description = "Why (default: 'apex judge RUN_ID').")
    String notes;

    @Option(names = "--judges", paramLabel = "FILE", description = "Judge lane file, for the cost estimate printed "
            + "before sending (default: config/judging/judges.yaml).")
    Path judgesFile;

    @Mixin
    ModelsOption models;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JudgingRubric judgingRubric = JudgePass.rubric(pass.rubric);
        StackSettings stack = send.stack();
        JudgingRequested command;
        try (Connection c = stack.connect()) {
            JudgePass.Source source = JudgePass.read(c, sourceRunId, limit, pass.pairwise);
            if (pass.pairwise && !anyPromptWithTwoLanes(source)) {
                throw new JudgePass.Problem("pairwise judging compares two lanes' outputs of one prompt, and no prompt"
                        + " of run " + sourceRunId + " has completed outputs of two lanes: judge each output on the "
                        + "rubric instead (leave --pairwise out)");
            }
            String id = runId != null ? freeRunId(c, runId) : nextJudgingRunId(c, sourceRunId);
            command = command(id, source, judgingRubric);
            checkSize(command);
            warnUnregistered(c, err);
            describe(err, source, command);
        }
        int followed = send.publishAndFollow(command, command.runId(), out, err, "Published. Follow it with: apex "
                + "status " + command.runId() + "; then: apex leaderboard " + sourceRunId + "   (or judge again with "
                + "--wait)");
        if (followed != 0 || !send.await) {
            return followed;
        }
        if (send.dryRun) {
            out.println("Dry run: no judge was called, so there is no leaderboard. The judge requests are recorded "
                    + "with their exact bodies: apex report " + command.runId());
            out.flush();
            return 0;
        }
        try (Connection c = stack.connect()) {
            awaitJudgments(c, command.runId(), out);
            out.println();
            return LeaderboardCommand.print(c, out, err, sourceRunId, command.runId(), "table", true);
        }
    }

    JudgingRequested command(String id, JudgePass.Source source, JudgingRubric judgingRubric) {
        return new JudgingRequested(EventIds.newEventId(), JudgingRequested.SCHEMA_VERSION, Instant.now(), id,
                sourceRunId, List.copyOf(new LinkedHashSet<>(judgeLanes)),
                pass.kind(), judgingRubric, pass.pairDegree, send.mode(), send.dryRun, !send.noCache,
                createdBy != null ? createdBy : System.getProperty("user.name", "apex"),
                notes != null ? notes : "apex judge " + sourceRunId, source.prompts(), source.outputs());
    }

    private static boolean anyPromptWithTwoLanes(JudgePass.Source source) {
        Map<String, Set<String>> lanes = new HashMap<>();
        source.outputs().forEach(o -> lanes.computeIfAbsent(o.promptId(), k -> new HashSet<>()).add(o.laneSlug()));
        return lanes.values().stream().anyMatch(s -> s.size() >= 2);
    }

    /** The command as the planner reads it must fit {@link Topics#MAX_COMMAND_BYTES}; otherwise name --limit. */
    static void checkSize(JudgingRequested command) {
        int bytes = EventJson.writeBytes(command).length;
        if (bytes <= Topics.MAX_COMMAND_BYTES) {
            return;
        }
        int prompts = command.prompts().size();
        long fit = Math.max(1, (long) Math.floor(prompts * (Topics.MAX_COMMAND_BYTES * 0.95) / bytes));
        throw new JudgePass.Problem(String.format(Locale.ROOT, "the judging command would be %,d bytes (%d prompts, "
                + "%d outputs), over the %,d bytes a run command may be (Topics.MAX_COMMAND_BYTES); nothing was sent. "
                + "Judge fewer prompts per pass with --limit N (about %d fit)%s", bytes, prompts,
                command.outputs().size(), Topics.MAX_COMMAND_BYTES, fit,
                command.kind() == JudgingKind.PAIRWISE ? "" : ", or judge pairwise (--pairwise carries one "
                        + "output per lane and prompt)"));
    }

    /** {@code <source>.judge-<n>}, n one more than any judging run of that form recorded so far. */
    static String nextJudgingRunId(Connection c, String source) throws SQLException {
        String prefix = source + ".judge-";
        int last = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM apex_audition.runs WHERE starts_with(id, ?) "
                + "UNION SELECT DISTINCT run_id FROM apex_audition.judgments WHERE source_run_id = ?")) {
            p.setString(1, prefix);
            p.setString(2, source);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    String n = id.startsWith(prefix) ? id.substring(prefix.length()) : "";
                    if (n.matches("\\d{1,9}")) {
                        last = Math.max(last, Integer.parseInt(n));
                    }
                }
            }
        }
        return prefix + (last + 1);
    }

    private static String freeRunId(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT status FROM apex_audition.runs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    throw new JudgePass.Problem("run id '" + id + "' is taken (a run that was " + rs.getString(1)
                            + "): choose another --run-id, or leave it out for " + "the next RUN_ID.judge-N");
                }
            }
        }
        return id;
    }

    /** A judge lane the recorder has not seen registered is most likely not registered: say so, send anyway. */
    private void warnUnregistered(Connection c, PrintWriter err) throws SQLException {
        Set<String> registered = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT slug FROM apex_audition.conditions "
                + "WHERE slug = ANY (?)")) {
            p.setArray(1, c.createArrayOf("text", judgeLanes.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    registered.add(rs.getString(1));
                }
            }
        }
        for (String slug : judgeLanes) {
            if (!registered.contains(slug)) {
                err.println("apex: warning: judge lane '" + slug + "' is not recorded as registered; if the planner "
                        + "does not know it either it rejects the pass. Register the judge lanes with: apex lanes "
                        + "register --config config/judging/judges.yaml");
            }
        }
    }

    /** What is about to be sent, and its estimate when the judge lanes are in the judge lane file. */
    private void describe(PrintWriter err, JudgePass.Source source, JudgingRequested command) {
        int calls = JudgePass.calls(command).size();
        err.printf(Locale.ROOT, "Judging run %s: %d outputs of %d prompts of run %s, %s, %d judge request(s) per judge "
                        + "lane x %d judge lane(s) = %d, %s%s%n", command.runId(), command.outputs().size(),
                command.prompts().size(), sourceRunId, pass.pairwise ? "pairwise (each lane meets " + command.pairDegree()
                        + " others per prompt, both orders)" : "rubric '" + command.rubric().name() + "'", calls,
                command.judgeConditionSlugs().size(), calls * command.judgeConditionSlugs().size(),
                send.batchMode ? "batch mode" : "synchronous", send.dryRun ? ", dry run (no judge is called)" : "");
        if (source.replaced() > 0) {
            err.printf("%d output(s) hold control characters a judge request cannot carry: they are shown with "
                    + "U+FFFD in their place.%n", source.replaced());
        }
        try {
            ModelCatalog catalog = models.load();
            List<LaneSpec> judges = JudgePass.judgeLanes(judgesFile, catalog, command.judgeConditionSlugs());
            CostEstimator.Estimate e = JudgePass.estimate(catalog, judges, command);
            err.printf(Locale.ROOT, "Estimated judging cost%s: worst $%.2f, typical $%.2f (apex estimate --judge %s "
                            + "for the details)%n", send.batchMode ? " at batch price" : "",
                    send.batchMode ? e.worstBatch() : e.worstSync(), send.batchMode ? e.typicalBatch() : e.typicalSync(),
                    sourceRunId);
        } catch (RuntimeException e) {
            err.println("No cost estimate: " + e.getMessage());
        }
        err.flush();
    }

    /**
     * The recorder writes a judgment's answer from the same result the progress counted; wait (a little) until every
     * answered judge request of the run is read, so the leaderboard counts them all.
     */
    private static void awaitJudgments(Connection c, String judgingRunId, PrintWriter out) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean told = false;
        while (System.nanoTime() < deadline) {
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT (SELECT count(*) FROM apex_audition.generations WHERE run_id = ?
                            AND (status = 'completed' OR error_kind = 'unparseable_judgment')),
                           (SELECT count(*) FROM apex_audition.judgments WHERE run_id = ?
                            AND status IN ('judged', 'unparseable'))""")) {
                p.setString(1, judgingRunId);
                p.setString(2, judgingRunId);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next() && rs.getLong(2) >= rs.getLong(1)) {
                        return;
                    }
                }
            }
            if (!told) {
                out.println("All judge requests final; waiting for the recorder to read the last answers...");
                out.flush();
                told = true;
            }
            Thread.sleep(500);
        }
        out.println("Some answers are not read into apex_audition.judgments yet; the leaderboard below may miss them "
                + "(run 'apex leaderboard " + judgingRunId + "' again in a moment).");
    }
}
