package io.apexaudition.cli;

import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.PromptLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main job on a running stack: registers the 15 lanes, ingests the 21 prompts, runs every lane in batch
 * mode (against the provider simulator the local stack starts, unless real base URLs are configured) with live
 * progress per lane, prints the report, then registers the judge lanes, judges the run pairwise in batch mode and
 * prints the leaderboard.
 */
@Command(name = "demo", description = "Register the lanes and prompts, run every lane in batch mode with "
        + "progress, print the report; then judge the run pairwise in batch mode and print the leaderboard.")
class DemoCommand implements Callable<Integer> {

    @Option(names = "--limit", description = "Only the first N prompts (default: all 21).")
    Integer limit;

    @Option(names = "--dry-run", description = "Call no provider; record the exact requests (and judge nothing: a "
            + "dry run has no outputs).")
    boolean dryRun;

    @Option(names = "--judge-lane", defaultValue = "judge.4o", paramLabel = "SLUG", description = "The judge lane(s) "
            + "of the judging pass (repeatable; default ${DEFAULT-VALUE}; config/judging/judges.yaml has judge.4o and "
            + "judge.sonnet).")
    List<String> judgeLanes;

    @Option(names = "--no-judge", description = "Stop after the report: no judging pass, no leaderboard.")
    boolean noJudge;

    @Option(names = "--timeout", defaultValue = "900", description = "Seconds to wait (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    StackOptions.Planner planner;

    /** The viewer, whose page of the run is printed at the end. */
    @Mixin
    StackOptions.Viewer viewer;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        out.println("== 1/6 registering lanes (apex lanes register)");
        if (cli("lanes", "register", "--planner-url", planner.url) != 0) {
            return 1;
        }
        out.println("== 2/6 ingesting prompts (apex prompts ingest)");
        if (cli("prompts", "ingest", "--planner-url", planner.url) != 0) {
            return 1;
        }
        String runId = "demo-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
        String kafka = StackSettings.fromEnvironment().kafka();
        out.println("== 3/6 running every lane in batch mode" + (dryRun ? " (dry run: no provider is called)" : "")
                + " as run " + runId);
        // the shipped lanes and prompts by name, not --all-lanes: a stack where others were registered (apex bench
        // registers 50 lanes and 2,000 prompts) would otherwise send all of them
        List<String> run = new ArrayList<>(List.of("run", "--batch-mode", "--created-by",
                System.getProperty("user.name", "demo"), "--notes", "apex demo", "--run-id", runId, "--wait",
                "--timeout", Integer.toString(timeoutSeconds), "--planner-url", planner.url, "--bootstrap-servers",
                kafka));
        LaneConfig.load(ConfigPaths.configDir().resolve("creative_benchmark.yaml")).lanes()
                .forEach(lane -> run.addAll(List.of("--condition-slug", lane.slug())));
        PromptLibrary.load(ConfigPaths.configDir().resolve("prompts"))
                .forEach(prompt -> run.addAll(List.of("--prompt-id", prompt.id())));
        if (limit != null) {
            run.addAll(List.of("--limit", limit.toString()));
        }
        if (dryRun) {
            run.add("--dry-run");
        }
        if (cli(run.toArray(String[]::new)) != 0) {
            return 1;
        }
        out.println();
        out.println("== 4/6 report (apex report " + runId + ")");
        int report = cli("report", runId);
        int judged = report == 0 ? judge(runId, kafka) : report;
        out.println();
        out.println("Read every lane's output side by side (blind if you like) in the viewer: " + viewer.url
                + "/run.html?run=" + runId);
        return judged;
    }

    /** Steps 5 and 6: the judge lanes, a pairwise judging pass in batch mode, the leaderboard. */
    private int judge(String runId, String kafka) {
        out.println();
        if (dryRun || noJudge) {
            out.println("== 5/6 and 6/6 skipped: " + (dryRun ? "a dry run has no outputs to judge (run the demo "
                    + "without --dry-run for the leaderboard)" : "--no-judge") + ". Judge the run later with: apex "
                    + "judge " + runId + " --judge-lane judge.4o --pairwise --batch-mode --wait");
            return 0;
        }
        String judges = ConfigPaths.configDir().resolve("judging").resolve("judges.yaml").toString();
        out.println("== 5/6 registering the judge lanes (apex lanes register --config " + judges + ")");
        if (cli("lanes", "register", "--config", judges, "--planner-url", planner.url) != 0) {
            return 1;
        }
        out.println("== 6/6 judging the run pairwise in batch mode with " + String.join(" and ", judgeLanes)
                + ", then the leaderboard (apex judge " + runId + " --pairwise --batch-mode --wait)");
        List<String> judge = new ArrayList<>(List.of("judge", runId, "--pairwise", "--batch-mode", "--wait",
                "--timeout", Integer.toString(timeoutSeconds), "--planner-url", planner.url, "--bootstrap-servers",
                kafka));
        judgeLanes.forEach(slug -> judge.addAll(List.of("--judge-lane", slug)));
        if (limit != null) {
            judge.addAll(List.of("--limit", limit.toString()));
        }
        return cli(judge.toArray(String[]::new));
    }

    private static int cli(String... args) {
        return ApexCli.execute(args);
    }
}
