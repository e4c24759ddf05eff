package io.apexaudition.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command names the stack's parts (and the model catalog) with the same option, variable and default: the shared mixins. */
class StackOptionsTest {
    private static final Map<String, Class<?>> SHARED = Map.of(
            "--planner-url", StackOptions.Planner.class,
            "--bootstrap-servers", StackOptions.Broker.class,
            "--recorder-url", StackOptions.Recorder.class,
            "--viewer-url", StackOptions.Viewer.class,
            "--simulator-url", StackOptions.Simulator.class,
            "--models", ModelsOption.class);

    @Test
    void shouldDeclareEveryStackOptionOnceInItsMixin() {
        // given every command and subcommand of apex
        List<String> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        walk(ApexCli.commandLine(), found, problems);

        // then each of them takes --planner-url, --bootstrap-servers, --recorder-url and --viewer-url from the mixin
        assertThat(found).as("commands with a stack option").hasSizeGreaterThanOrEqualTo(8);
        assertThat(problems).isEmpty();
    }

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        StackOptions.Planner planner;
        @Mixin
        StackOptions.Broker broker;
        @Mixin
        StackOptions.Recorder recorder;
        @Mixin
        StackOptions.Viewer viewer;
        @Mixin
        StackOptions.Simulator simulator;
    }

    @Test
    void shouldDefaultEveryStackOptionToTheLocalStacksDefinition() {
        // given a command with every mixin and none of their variables set (the build's environment has none)
        Probe probe = new Probe();

        // when it is parsed without options
        new CommandLine(probe).parseArgs();

        // then each points at the local stack as local-stack.properties defines it
        LocalStack stack = LocalStack.load();
        assertThat(probe.planner.url).isEqualTo(stack.service("planner").url());
        assertThat(probe.broker.servers).isEqualTo(stack.kafkaBootstrapServers());
        assertThat(probe.recorder.url).isEqualTo(stack.service("recorder").url());
        assertThat(probe.viewer.url).isEqualTo(stack.service("viewer").url());
        assertThat(probe.simulator.url).isEqualTo(stack.service("simulator").url());
    }

    private static void walk(CommandLine command, List<String> found, List<String> problems) {
        CommandSpec spec = command.getCommandSpec();
        for (OptionSpec option : spec.options()) {
            Class<?> mixin = SHARED.get(option.longestName());
            if (mixin == null) {
                continue;
            }
            found.add(spec.qualifiedName() + " " + option.longestName());
            Object owner = option.userObject() instanceof java.lang.reflect.Field f ? f.getDeclaringClass() : null;
            if (owner != mixin) {
                problems.add(spec.qualifiedName() + " declares " + option.longestName() + " itself (in " + owner
                        + "): use @Mixin " + mixin.getName().replace(mixin.getPackageName() + ".", "")
                        .replace('$', '.'));
            }
        }
        command.getSubcommands().values().forEach(sub -> walk(sub, found, problems));
    }
}
