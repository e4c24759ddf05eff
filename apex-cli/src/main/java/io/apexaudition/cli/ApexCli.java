package io.apexaudition.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code apex} command line; {@code ./apex} runs it with the local stack's settings. */
@Command(name = "apex", mixinStandardHelpOptions = true, version = "apex 0.1.0",
        description = "Run LLM auditions (lanes x prompts) through provider Batch APIs into Postgres.",
        subcommands = {DemoCommand.class, LanesCommand.class, PromptsCommand.class,
                EstimateCommand.class, RunCommand.class, StatusCommand.class, ReportCommand.class,
                RetryCommand.class, PollCommand.class, RebuildCommand.class,
                io.apexaudition.cli.bench.BenchCommand.class})
public class ApexCli implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new ApexCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // every failure the CLI expects carries a message that says what to do next
                    cmd.getErr().println("apex: " + e.getMessage());
                    return 1;
                })
                .execute(args);
        System.exit(exit);
    }
}
