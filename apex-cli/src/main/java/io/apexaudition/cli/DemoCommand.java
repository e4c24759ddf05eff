package io.apexaudition.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main job on a running stack: registers the 15 lanes, ingests the 21 prompts, runs every lane in batch
 * mode (against the provider simulator the local stack starts, unless real base URLs are configured) with live
 * progress per lane, and prints the report.
 */
@Command(name = "demo", description = "Register the lanes and prompts, run every lane in batch mode with "
        + "progress, and print the report.")
class DemoCommand implements Callable<Integer> {

    @Option(names = "--limit", description = "Only the first N prompts (default: all 21).")
    Integer limit;

    @Option(names = "--dry-run", description = "Call no provider; record the exact requests.")
    boolean dryRun;

    @Option(names = "--timeout", defaultValue = "900", description = "Seconds to wait (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--planner-url", defaultValue = "${env:APEX_PLANNER_URL:-http://127.0.0.1:8081}",
            description = "The planner (default: ${DEFAULT-VALUE}).")
    String plannerUrl;

    @Option(names = "--viewer-url", defaultValue = "${env:APEX_VIEWER_URL:-http://127.0.0.1:8087}",
            description = "The results viewer, whose page of the run is printed at the end (default: ${DEFAULT-VALUE}).")
    String viewerUrl;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        out.println("== 1/4 registering lanes (apex lanes register)");
        if (cli("lanes", "register", "--planner-url", plannerUrl) != 0) {
            return 1;
        }
        out.println("== 2/4 ingesting prompts (apex prompts ingest)");
        if (cli("prompts", "ingest", "--planner-url", plannerUrl) != 0) {
            return 1;
        }
        String runId = "demo-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
        out.println("== 3/4 running every lane in batch mode" + (dryRun ? " (dry run: no provider is called)" : "")
                + " as run " + runId);
        List<String> run = new ArrayList<>(List.of("run", "--all-lanes", "--batch-mode", "--created-by",
                System.getProperty("user.name", "demo"), "--notes", "apex demo", "--run-id", runId, "--wait",
                "--timeout", Integer.toString(timeoutSeconds), "--planner-url", plannerUrl, "--bootstrap-servers",
                StackSettings.fromEnvironment().kafka()));
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
        out.println("== 4/4 report (apex report " + runId + ")");
        int report = cli("report", runId);
        out.println();
        out.println("Read every lane's output side by side (blind if you like) in the viewer: " + viewerUrl
                + "/run.html?run=" + runId);
        return report;
    }

    private static int cli(String... args) {
        return new CommandLine(new ApexCli()).execute(args);
    }
}
