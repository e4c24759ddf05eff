package io.apexaudition.viewer.domain;

import io.apexaudition.core.judging.BradleyTerry;
import io.apexaudition.core.judging.Leaderboard;

import java.util.List;

/**
 * A run's leaderboard as the viewer serves it: audition-core's {@link Leaderboard} (built from the same rows, with the
 * same seed, as {@code apex leaderboard}, so both show the same intervals), what it was read from, and, when nothing
 * is judged yet, why and the command that judges the run.
 *
 * @param runId        the judged run
 * @param judgingRuns  the judging passes read: every pass over the run, or the one asked for
 * @param passes       every judging pass over the run (what a reader may narrow the board to)
 * @param judgingRun   the pass asked for (null: every pass)
 * @param human        whether readers' verdicts count, as the judge {@value HumanJudge#NAME}
 * @param judgments    the judge requests of the passes read, by status
 * @param humanJudgments readers' verdicts read as judgments (a ranking counts as its pairs), 0 when left out
 * @param prompts      the prompts judged (the bootstrap resamples prompts)
 * @param confidence   the intervals' confidence
 * @param resamples    bootstrap resamples of the prompts behind each rating interval
 * @param judged       whether there is anything to rank
 * @param message      why there is nothing to rank, and what to do (null when judged)
 * @param command      the command to run next (null when there is none)
 * @param leaderboard  the lanes ranked (empty when nothing is judged)
 */
public record LeaderboardView(String runId, List<String> judgingRuns, List<String> passes, String judgingRun,
        boolean human, Judgments judgments, int humanJudgments, int prompts, double confidence, int resamples, boolean judged,
        String message, String command, Leaderboard leaderboard) {

    /** The options of every rating: the CLI's. */
    public static final BradleyTerry.Options OPTIONS = BradleyTerry.Options.DEFAULT;

    /** The judge lane the suggested command names (config/judging/judges.yaml's, as the CLI suggests). */
    static final String JUDGE = "judge.4o";

    /** What a reader is told to do when there is nothing to rank: why, and the command to run. */
    public record Advice(String message, String command) {
    }

    /** Judge requests by status: answered and read, asked and not answered yet, answered unreadably. */
    public record Judgments(long judged, long pending, long unparseable) {
    }

    public LeaderboardView {
        judgingRuns = List.copyOf(judgingRuns);
        passes = List.copyOf(passes);
    }

    /** The seed of the rating intervals: {@code apex leaderboard}'s, so the viewer and the CLI agree. */
    public static String seed(String runId, List<String> judgingRuns) {
        return "leaderboard\n" + runId + "\n" + String.join(",", judgingRuns);
    }

    /**
     * Why a run has nothing to rank, and what to run next, in the CLI's words: answers are still coming, every answer
     * was unreadable, the one pass asked for judged nothing (a dry run calls no judge), or the run was never judged.
     *
     */
    public static Advice nothingJudged(String runId, List<String> judgingRuns, boolean onePass,
            Judgments judgments) {
        String pass = judgingRuns.isEmpty() ? null : judgingRuns.get(0);
        if (judgments.pending() > 0) {
            return new Advice("Run " + runId + " has " + judgments.pending() + " judge request(s) without an answer yet "
                    + "(judging run " + String.join(", ", judgingRuns) + "): follow it, and look again when it has "
                    + "completed.", "apex status " + pass);
        }
        if (judgments.unparseable() > 0) {
            return new Advice("Run " + runId + " has only unreadable judge answers (" + judgments.unparseable()
                    + "): send them again.", "apex retry " + pass + " --wait");
        }
        if (onePass) {
            return new Advice("Judging run " + pass + " has no judgments of run " + runId + " (a dry run calls no "
                    + "judge): check it.", "apex status " + pass);
        }
        return new Advice("Run " + runId + " has not been judged yet: judge it (register the judge lanes first with "
                + "'apex lanes register --config config/judging/judges.yaml'), then look again.",
                "apex judge " + runId + " --judge-lane " + JUDGE + " --pairwise --batch-mode --wait");
    }
}
