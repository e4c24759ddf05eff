package io.apexaudition.cli;

import io.apexaudition.core.judging.BradleyTerry;
import io.apexaudition.core.judging.Leaderboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code apex leaderboard RUN_ID}: the run's lanes ranked from its judgments, with intervals, rubric, costs. */
@Command(name = "leaderboard", description = "Rank a judged run's lanes: Bradley-Terry ratings with 95%% intervals, "
        + "rubric means, wins/losses/ties, writing diagnostics, cost per lane and per rating point, the win matrix, "
        + "the judges' position bias and agreement; judging cost apart from generation cost.")
class LeaderboardCommand implements Callable<Integer> {
    /** Resamples of the prompts for the rating intervals. */
    static final BradleyTerry.Options OPTIONS = BradleyTerry.Options.DEFAULT;

    @Parameters(paramLabel = "RUN_ID", description = "The judged run (or one of its judging runs).")
    String runId;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--judging-run", paramLabel = "ID", description = "Only this judging pass (default: every pass "
            + "over the run).")
    String judgingRun;

    @Option(names = "--no-human", description = "Leave out the people's verdicts from the viewer (the judge 'human').")
    boolean noHuman;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Set.of("table", "csv", "json").contains(format)) {
            spec.commandLine().getErr().println("apex: --format " + format + " is not known: use table, csv or json");
            return 2;
        }
        try (Connection c = StackSettings.fromEnvironment().connect()) {
            return print(c, spec.commandLine().getOut(), spec.commandLine().getErr(), runId, judgingRun, format,
                    !noHuman);
        }
    }

    /**
     * Prints the leaderboard of {@code runId} (all its judging passes, or {@code judgingRun} alone), or says why
     * there is none and what to do.
     *
     * @return the exit code: 0 printed, 1 nothing to print
     */
    static int print(Connection c, PrintWriter out, PrintWriter err, String runId, String judgingRun, String format,
                     boolean human) throws SQLException {
        Optional<LeaderboardReader.Scope> scope = LeaderboardReader.scope(c, runId, judgingRun);
        if (scope.isEmpty()) {
            err.println("apex: no run '" + runId + "' is recorded: check the id ('apex status " + runId + "')");
            err.flush();
            return 1;
        }
        LeaderboardReader.Status status = LeaderboardReader.status(c, scope.get());
        Leaderboard.Input input = LeaderboardReader.input(c, scope.get(), human);
        if (input.judgments().isEmpty() && input.unorderedJudgments().isEmpty() && input.rubricScores().isEmpty()) {
            err.println("apex: " + nothingJudged(scope.get(), status));
            err.flush();
            return 1;
        }
        String seed = "leaderboard\n" + scope.get().sourceRunId() + "\n" + String.join(",",
                scope.get().judgingRuns());
        Leaderboard board = Leaderboard.build(input, OPTIONS, seed);
        LeaderboardFormat.print(out, format, board, new LeaderboardFormat.About(scope.get().sourceRunId(),
                scope.get().judgingRuns(), status, OPTIONS.confidence(), OPTIONS.replicates()));
        return 0;
    }

    private static String nothingJudged(LeaderboardReader.Scope scope, LeaderboardReader.Status status) {
        String source = scope.sourceRunId();
        if (status.pending() > 0) {
            return "run " + source + " has " + status.pending() + " judge request(s) without an answer yet (judging "
                    + "run " + String.join(", ", scope.judgingRuns()) + "): follow it with 'apex status "
                    + scope.judgingRuns().get(0) + "' and ask again when it has completed";
        }
        if (status.unparseable() > 0) {
            return "run " + source + " has only unreadable judge answers (" + status.unparseable() + "): resend them "
                    + "with 'apex retry " + scope.judgingRuns().get(0) + " --wait'";
        }
        if (scope.onlyOne()) {
            return "judging run " + scope.judgingRuns().get(0) + " has no judgments of run " + source + " (a dry run "
                    + "calls no judge): check the id with 'apex status " + scope.judgingRuns().get(0) + "'";
        }
        return "run " + source + " has not been judged: judge it with 'apex judge " + source
                + " --judge-lane judge.4o --pairwise --batch-mode --wait' (register the judge lanes first: 'apex lanes "
                + "register --config config/judging/judges.yaml'), then run 'apex leaderboard " + source + "'";
    }
}
