package io.apexaudition.cli;

import io.apexaudition.core.ConfigException;
import io.apexaudition.core.CostEstimator;
import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.core.RubricConfig;
import io.apexaudition.core.judging.JudgePrompts;
import io.apexaudition.core.judging.Matchup;
import io.apexaudition.core.judging.PairSchedule;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.JudgingRubric;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code apex judge} and {@code apex estimate --judge} share: the source run's completed outputs and their
 * writing prompts read from {@code apex_audition}, the rubric, and the judge calls a pass makes (to estimate them).
 */
final class JudgePass {
    /**
     * A typical judge answer, for the typical estimate (the worst case uses each judge lane's max tokens): a
     * pairwise answer is {"winner", "margin", "rationale"} with two sentences (about 60 words); a rubric answer adds
     * a score per criterion. Assumptions, not measurements: `apex report JUDGING_RUN` shows what was used.
     */
    static final int TYPICAL_PAIRWISE_ANSWER_TOKENS = 100;
    static final int TYPICAL_RUBRIC_ANSWER_TOKENS = 150;

    private JudgePass() {
    }

    /** An expected failure, with what to do next. */
    static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message);
        }
    }

    /**
     * The source run's outputs to judge and the prompts they answer.
     *
     * @param replaced outputs whose control characters were replaced by U+FFFD (a judge request carries only tab,
     *                 newline and carriage return)
     */
    record Source(String runId, List<JudgingRequested.Prompt> prompts, List<JudgingRequested.Output> outputs,
                  int replaced) {
    }

    /** The rubric file, or a message that names the file, its problems and the fix. */
    static JudgingRubric rubric(Path file) {
        Path path = ConfigPaths.orDefault(file, "judging/rubric.yaml");
        try {
            return RubricConfig.load(path);
        } catch (ConfigException e) {
            throw new Problem("the rubric " + path + " cannot be used: " + e.getMessage() + ". Fix the file, or leave "
                    + "--rubric out to use config/judging/rubric.yaml");
        }
    }

    /**
     * The completed outputs of {@code runId} and their prompts: all prompts, or the first {@code limit} by id that
     * have a completed output. For pairwise judging only each lane's lowest replicate of a prompt (what the planner
     * pairs), so the command carries no text it would not use.
     *
     * @throws Problem when the run is unknown, rejected, not completed, or has no completed output
     */
    static Source read(Connection c, String runId, Integer limit, boolean pairwise) throws SQLException {
        checkRun(c, runId);
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT id, prompt_id, COALESCE(prompt_version, 1), lane_id, COALESCE(replicate, 1), output_text
                FROM apex_audition.generations
                WHERE run_id = ? AND status = 'completed' AND output_text IS NOT NULL
                ORDER BY prompt_id, lane_id, COALESCE(replicate, 1), id""")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5),
                            rs.getString(6)));
                }
            }
        }
        if (rows.isEmpty()) {
            throw new Problem("run '" + runId + "' has no completed output to judge (a dry run generates none; errors "
                    + "have no text): see 'apex report " + runId + "', resend retryable errors with 'apex retry "
                    + runId + " --wait', or judge another run");
        }
        // prompt id -> its version in this run, in id order; the first `limit` of them
        Map<String, Integer> versions = new TreeMap<>();
        rows.forEach(r -> versions.putIfAbsent(r.promptId(), r.promptVersion()));
        List<String> chosen = new ArrayList<>(versions.keySet());
        if (limit != null) {
            if (limit < 1) {
                throw new Problem("--limit " + limit + " is not a positive number of prompts");
            }
            chosen = chosen.subList(0, Math.min(limit, chosen.size()));
        }
        Set<String> judged = new HashSet<>(chosen);
        List<JudgingRequested.Prompt> prompts = prompts(c, chosen, versions);
        List<JudgingRequested.Output> outputs = new ArrayList<>();
        int replaced = 0;
        String lastLane = null;
        String lastPrompt = null;
        for (Row r : rows) {
            if (!judged.contains(r.promptId())) {
                continue;
            }
            boolean sameLane = r.promptId().equals(lastPrompt) && r.laneSlug().equals(lastLane);
            lastPrompt = r.promptId();
            lastLane = r.laneSlug();
            if (pairwise && sameLane) {
                continue; // a later replicate of a lane already listed for this prompt
            }
            String text = usable(r.text());
            replaced += text.equals(r.text()) ? 0 : 1;
            outputs.add(new JudgingRequested.Output(r.generationId(), r.promptId(), r.laneSlug(), r.replicate(),
                    text));
        }
        return new Source(runId, prompts, outputs, replaced);
    }

    private record Row(String generationId, String promptId, int promptVersion, String laneSlug, int replicate,
                       String text) {
    }

    /** How long a run whose generations are all final may take to be recorded as completed. */
    static final long COMPLETION_GRACE_MILLIS = 30_000;

    /**
     * The run must be recorded as completed. One whose generations are all final but whose completion is not
     * recorded yet (the planner's RunCompleted follows the last result) gets {@link #COMPLETION_GRACE_MILLIS}.
     */
    private static void checkRun(Connection c, String runId) throws SQLException {
        long deadline = System.currentTimeMillis() + COMPLETION_GRACE_MILLIS;
        while (true) {
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT r.status, r.expected_generations, r.reason,
                           (SELECT count(*) FROM apex_audition.generations g
                            WHERE g.run_id = r.id AND g.status IN ('completed', 'error', 'dry_run'))
                    FROM apex_audition.runs r WHERE r.id = ?""")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw new Problem("no run '" + runId + "' is recorded: check the id ('apex status " + runId
                                + "'; SELECT id FROM apex_audition.runs lists them)");
                    }
                    String status = rs.getString(1);
                    if ("completed".equals(status)) {
                        return;
                    }
                    if ("rejected".equals(status)) {
                        throw new Problem("run '" + runId + "' was rejected (" + rs.getString(3) + "), so nothing "
                                + "was generated to judge: judge a run that completed");
                    }
                    int expected = rs.getInt(2);
                    long done = rs.getLong(4);
                    if (expected == 0 || done < expected || System.currentTimeMillis() > deadline) {
                        throw new Problem("run '" + runId + "' has not completed yet (" + done + " of " + expected
                                + " generations final): follow it with 'apex status " + runId + "' and judge it once "
                                + "it has completed");
                    }
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Problem("interrupted while waiting for run '" + runId + "' to be recorded as completed");
            }
        }
    }

    private static List<JudgingRequested.Prompt> prompts(Connection c, List<String> ids, Map<String, Integer> versions)
            throws SQLException {
        Map<String, String> texts = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, version, text FROM apex_audition.prompts WHERE id = ANY (?)")) {
            p.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(2) == versions.get(rs.getString(1))) {
                        texts.put(rs.getString(1), rs.getString(3));
                    }
                }
            }
        }
        List<JudgingRequested.Prompt> prompts = new ArrayList<>();
        for (String id : ids) {
            String text = texts.get(id);
            if (text == null) {
                throw new Problem("prompt '" + id + "' version " + versions.get(id) + " is not recorded in "
                        + "apex_audition.prompts, so its outputs cannot be shown with it: run 'apex prompts ingest' "
                        + "(or './apex rebuild' if the table was emptied) and judge again");
            }
            prompts.add(new JudgingRequested.Prompt(id, versions.get(id), text));
        }
        return prompts;
    }

    /**
     * The text with every character a judge request may not carry (control characters but tab, newline and carriage
     * return; lone surrogates) replaced by U+FFFD, as output_text already shows NUL.
     */
    static String usable(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean pair = Character.isHighSurrogate(ch) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = !pair && (Character.isSurrogate(ch)
                    || Character.isISOControl(ch) && ch != '\t' && ch != '\n' && ch != '\r');
            if (bad && b == null) {
                b = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : ch);
                if (pair) {
                    b.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return b == null ? text : b.toString();
    }

    /**
     * The texts of one judge lane's calls, as the planner builds them (planner-service JudgingPlan): per prompt by
     * id, rubric: each output; pairwise: the lowest replicate of each lane, the pairs of {@link PairSchedule} seeded
     * by the source run and the prompt, each in both orders. Each text is built when it is read.
     */
    static List<PromptSpec> calls(JudgingRequested command) {
        String context = command.kind() == JudgingKind.PAIRWISE ? JudgePrompts.pairwiseContext(command.rubric())
                : JudgePrompts.rubricContext(command.rubric());
        Map<String, JudgingRequested.Prompt> prompts = new TreeMap<>();
        command.prompts().forEach(p -> prompts.putIfAbsent(p.promptId(), p));
        Map<String, List<JudgingRequested.Output>> byPrompt = new TreeMap<>();
        command.outputs().forEach(o -> byPrompt.computeIfAbsent(o.promptId(), k -> new ArrayList<>()).add(o));
        List<JudgingRequested.Output[]> calls = new ArrayList<>();
        List<JudgingRequested.Prompt> callPrompts = new ArrayList<>();
        byPrompt.forEach((promptId, outputs) -> {
            outputs.sort(Comparator.comparing(JudgingRequested.Output::laneSlug)
                    .thenComparingInt(JudgingRequested.Output::replicate)
                    .thenComparing(JudgingRequested.Output::generationId));
            if (command.kind() == JudgingKind.RUBRIC) {
                outputs.forEach(o -> calls.add(new JudgingRequested.Output[] {o}));
                outputs.forEach(o -> callPrompts.add(prompts.get(promptId)));
                return;
            }
            Map<String, JudgingRequested.Output> byLane = new TreeMap<>();
            outputs.forEach(o -> byLane.putIfAbsent(o.laneSlug(), o));
            if (byLane.size() < 2) {
                return;
            }
            int degree = Math.min(command.pairDegree(), byLane.size() - 1);
            for (Matchup m : PairSchedule.matchups(PairSchedule.plan(byLane.keySet(), degree,
                    PairSchedule.seed(command.sourceRunId(), promptId)))) {
                calls.add(new JudgingRequested.Output[] {byLane.get(m.laneA()), byLane.get(m.laneB())});
                callPrompts.add(prompts.get(promptId));
            }
        });
        return new CallTexts(calls, callPrompts, context);
    }

    private static final class CallTexts extends AbstractList<PromptSpec> implements RandomAccess {
        private final List<JudgingRequested.Output[]> calls;
        private final List<JudgingRequested.Prompt> prompts;
        private final String context;

        CallTexts(List<JudgingRequested.Output[]> calls, List<JudgingRequested.Prompt> prompts, String context) {
            this.calls = calls;
            this.prompts = prompts;
            this.context = context;
        }

        @Override
        public PromptSpec get(int index) {
            JudgingRequested.Output[] shown = calls.get(index);
            JudgingRequested.Prompt prompt = prompts.get(index);
            String text = shown.length == 1 ? JudgePrompts.rubricPrompt(prompt.text(), shown[0].text())
                    : JudgePrompts.pairwisePrompt(prompt.text(), shown[0].text(), shown[1].text());
            return new PromptSpec(prompt.promptId(), null, null, text, context);
        }

        @Override
        public int size() {
            return calls.size();
        }
    }

    /** The judge lanes named, from the judge lane file (config/judging/judges.yaml by default). */
    static List<LaneSpec> judgeLanes(Path file, ModelCatalog catalog, List<String> slugs) {
        Path path = ConfigPaths.orDefault(file, "judging/judges.yaml");
        List<LaneDefinition> all = LaneConfig.load(path).lanes();
        List<LaneDefinition> chosen = slugs == null || slugs.isEmpty() ? all : slugs.stream()
                .map(slug -> all.stream().filter(l -> l.slug().equals(slug)).findFirst().orElseThrow(() ->
                        new Problem("judge lane '" + slug + "' is not in " + path + ": use one of "
                                + all.stream().map(LaneDefinition::slug).toList() + ", or name the file that has it")))
                .toList();
        return chosen.stream().map(l -> LaneSpec.of(l, catalog.model(l.model()).orElseThrow(() ->
                new Problem("judge lane " + l.slug() + ": model '" + l.model() + "' is not in the catalog")))).toList();
    }

    /**
     * The worst-case and typical cost of the pass for each judge lane: the calls' texts and the rubric's context as
     * input (CostEstimator: characters per token, the context cached when long enough), each lane's max tokens as
     * the worst-case answer and a typical answer ({@link #TYPICAL_PAIRWISE_ANSWER_TOKENS} or
     * {@link #TYPICAL_RUBRIC_ANSWER_TOKENS}) for the typical case; sync and batch prices.
     */
    static CostEstimator.Estimate estimate(ModelCatalog catalog, List<LaneSpec> judges, JudgingRequested command) {
        int typical = command.kind() == JudgingKind.PAIRWISE ? TYPICAL_PAIRWISE_ANSWER_TOKENS
                : TYPICAL_RUBRIC_ANSWER_TOKENS;
        ModelCatalog.TypicalUsage usage = catalog.typicalUsage();
        ModelCatalog judgeCatalog = new ModelCatalog(catalog.batchDiscount(), catalog.models(),
                new ModelCatalog.TypicalUsage(typical, usage.reasoningTokensByEffort(),
                        usage.thinkingTokensFractionOfBudget(), usage.charsPerToken()));
        return new CostEstimator(judgeCatalog).estimate(judges, calls(command), 1, command.cache());
    }
}
