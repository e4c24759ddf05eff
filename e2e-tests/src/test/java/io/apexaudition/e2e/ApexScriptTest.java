package io.apexaudition.e2e;

import io.apexaudition.cli.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./apex} wrapper hands the CLI's commands their arguments: run with a stand-in {@code java} that prints
 * what it was given, so nothing starts.
 */
class ApexScriptTest {

    private static String apex(Path javaHome, Path home, String... args) throws Exception {
        return apex(javaHome, home, Map.of(), args);
    }

    /** With {@code env} as the only APEX_* variables (and APEX_HOME) the script sees. */
    private static String apex(Path javaHome, Path home, Map<String, String> env, String... args) throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String[] command = new String[args.length + 1];
        command[0] = root.resolve("apex").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> name.startsWith("APEX_"));
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("APEX_HOME", home.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static Path fakeJava(Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\necho \"java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @Test
    void shouldHandTheDemosOptionsToTheCliAndKeepItsOwn(@TempDir Path tmp) throws Exception {
        Path javaHome = fakeJava(tmp.resolve("jdk"));

        String demo = apex(javaHome, tmp.resolve("home"), "demo", "--no-up", "--limit", "3", "--dry-run", "--stop");

        assertThat(demo).contains("io.apexaudition.cli.ApexCli demo --limit 3 --dry-run")
                .doesNotContain("--no-up").doesNotContain("--stop");
    }

    @Test
    void shouldResolveTheLocalStacksDefinitionAsTheJavaReaderDoes(@TempDir Path tmp) throws Exception {
        // given variables ./apex honours: a port, the services' and the dispatchers' JVM options, an empty one
        Path javaHome = fakeJava(tmp.resolve("jdk"));
        Map<String, String> env = Map.of("APEX_KAFKA_PORT", "29092", "APEX_SERVICE_JVM_OPTS", "-Dservices -Dtwo",
                "APEX_DISPATCHER_JVM_OPTS", "-Ddispatchers", "APEX_SIMULATOR_JVM_OPTS", "");

        // when the script prints the stack it would start, without a JVM (it reads local-stack.properties in bash)
        String script = apex(javaHome, tmp.resolve("home"), env, "stack");

        // then it is the stack the CLI, the bench and these tests start, from the same file and variables
        assertThat(script).isEqualTo(LocalStack.read(env).describe()).doesNotContain("java ")
                .contains("kafka.port=29092\n", "poller.jvm-options=-Dservices -Dtwo\n",
                        "dispatcher-anthropic.jvm-options=-Ddispatchers\n", "simulator.jvm-options="
                                + String.join(" ", LocalStack.read(Map.of()).service("simulator").jvmOptions()) + "\n");
        assertThat(apex(javaHome, tmp.resolve("home"), Map.of(), "stack"))
                .isEqualTo(LocalStack.read(Map.of()).describe());
    }

    @Test
    void shouldHandAStatusWithARunIdToTheCliAndShowProcessesWithout(@TempDir Path tmp) throws Exception {
        Path javaHome = fakeJava(tmp.resolve("jdk"));

        String run = apex(javaHome, tmp.resolve("home"), "status", "run-42");
        String processes = apex(javaHome, tmp.resolve("home"), "status");

        assertThat(run).contains("io.apexaudition.cli.ApexCli status run-42");
        assertThat(processes).contains("kafka").contains("stopped").doesNotContain("ApexCli");
    }
}
