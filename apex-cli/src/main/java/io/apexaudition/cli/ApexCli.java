package io.apexaudition.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code apex} command line; {@code ./apex} runs it with the local stack's settings. */
@Command(name = "apex", mixinStandardHelpOptions = true, version = "apex 0.1.0",
        description = "Run LLM auditions (lanes x prompts) through provider Batch APIs into Postgres.",
        subcommands = {DemoCommand.class, LanesCommand.class, PromptsCommand.class,
                EstimateCommand.class, RunCommand.class, StatusCommand.class, ReportCommand.class,
                RetryCommand.class, JudgeCommand.class, LeaderboardCommand.class, PollCommand.class,
                RebuildCommand.class, io.apexaudition.cli.bench.BenchCommand.class})
public class ApexCli implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The command line as {@code apex} runs it: an expected failure prints its message, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new ApexCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // every failure the CLI expects carries a message that says what to do next
                    cmd.getErr().println("apex: " + e.getMessage());
                    cmd.getErr().flush();
                    return 1;
                });
    }

    /** Runs another apex command from within one (the demo, run --register-only). */
    static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
