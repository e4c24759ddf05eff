package io.apexaudition.cli;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The options of a command that publishes a run to apex.run-commands ({@code apex run}, {@code apex judge}): how its
 * requests are sent, where the broker and the planner are, and whether to follow the run.
 */
class SendOptions {
    @Option(names = "--batch-mode", description = "Use the providers' Batch APIs (50%% price, up to 24 h). "
            + "Without it each request is a synchronous call.")
    boolean batchMode;

    @Option(names = "--dry-run", description = "Call no provider; record the exact requests.")
    boolean dryRun;

    @Option(names = "--no-cache", description = "Turn prompt caching off.")
    boolean noCache;

    @Option(names = "--wait", description = "Show progress per lane until every request is final.")
    boolean await;

    @Option(names = "--timeout", defaultValue = "86400", description = "Seconds --wait waits at most.")
    long timeoutSeconds;

    @Mixin
    StackOptions.Planner planner;

    @Mixin
    StackOptions.Broker broker;

    RunMode mode() {
        return batchMode ? RunMode.BATCH : RunMode.SYNC;
    }

    /** The database from the environment, the broker from --bootstrap-servers. */
    StackSettings stack() {
        StackSettings env = StackSettings.fromEnvironment();
        return new StackSettings(broker.servers, env.dbUrl(), env.dbUser(), env.dbPassword());
    }

    /**
     * Publishes {@code command} (keyed by {@code runId}) and prints the run id on {@code out}. Without --wait, prints
     * {@code hint} (how to follow it) on {@code err} and returns 0; with --wait, shows the run's progress per lane
     * until every request is final and returns the exit code of that (0: finished).
     */
    int publishAndFollow(ApexEvent command, String runId, PrintWriter out, PrintWriter err, String hint)
            throws Exception {
        try (EventProducer producer = new EventProducer(broker.servers)) {
            producer.publish(Topics.RUN_COMMANDS.name(), command);
        }
        out.println(runId);
        out.flush();
        if (!await) {
            err.println(hint);
            err.flush();
            return 0;
        }
        return new RunCommand.ProgressWatcher(stack(), planner.url, System.out).watch(runId,
                Duration.ofSeconds(timeoutSeconds));
    }
}
