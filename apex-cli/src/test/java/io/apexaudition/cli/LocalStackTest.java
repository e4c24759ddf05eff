package io.apexaudition.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local stack is defined once, in local-stack.properties: read as {@code ./apex} reads it, and declared nowhere
 * else among the stack's users ({@code ./apex}, the CLI and its bench, the end-to-end tests, test-support,
 * {@code scripts/chaos.sh}). The compose stack (docker-compose.yml, scripts/compose-smoke.sh) is another, checked by
 * deploy-tests.
 */
class LocalStackTest {
    static final Path ROOT = Path.of("..");
    static final Path FILE = ROOT.resolve("apex-cli/src/main/resources/local-stack.properties");
    /** A heap, a -XX option or the malloc arena count: the JVM options the definition holds. */
    static final Pattern JVM_OPTION = Pattern.compile("-Xm[sx]\\w*|-XX:[+-]?[A-Za-z]+|MALLOC_ARENA_MAX");
    /**
     * JVM options that are not the stack's, with why: the bench's profiled start (a deliberate larger heap under
     * JFR) and its scratch broker's launcher; test-support's broker process for the tests that kill Kafka.
     */
    static final Map<String, Set<String>> NOT_THE_STACKS = Map.of(
            "apex-cli/src/main/java/io/apexaudition/cli/bench/HistoryStartup.java",
            Set.of("-Xmx", "-XX:StartFlightRecording", "-Xmx64m"),
            "test-support/src/main/java/io/apexaudition/testsupport/KafkaProcess.java",
            Set.of("-Xmx512m", "-XX:+UseSerialGC"));

    static LocalStack fileAsIs() throws IOException {
        return LocalStack.parse(Files.readAllLines(FILE), name -> null);
    }

    @Test
    void shouldReadTheStackInStartOrderWithItsPortsAndJvmOptions() throws Exception {
        // given the shipped definition, with no variable set
        LocalStack stack = fileAsIs();

        // then it is the stack ./apex has always started
        assertThat(stack.services()).extracting(LocalStack.Service::name).containsExactly("simulator", "recorder",
                "viewer", "planner", "dispatcher-openai", "dispatcher-anthropic", "poller");
        assertThat(stack.kafkaBootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(stack.service("planner").url()).isEqualTo("http://127.0.0.1:8081");
        assertThat(stack.service("dispatcher-anthropic").jvmOptions())
                .containsExactly("-Xmx128m", "-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=2000");
        assertThat(stack.service("simulator").jvmOptions()).containsExactly("-Xmx3g", "-XX:+UseParallelGC");
        assertThat(stack.service("poller").envDefaults()).containsEntry("MALLOC_ARENA_MAX", "2")
                .containsEntry("APEX_POLL_MAX_INTERVAL", "PT30S");
        assertThat(stack.service("recorder").envDefaults()).doesNotContainKey("APEX_POLL_MAX_INTERVAL");
        assertThat(stack.service("dispatcher-openai").env()).containsEntry("APEX_DISPATCHER_PROVIDER", "openai");
        assertThat(stack.service("planner").health()).isEqualTo("/q/health/ready");
    }

    @Test
    void shouldLetTheVariablesApexHonoursOverrideTheirValues() throws Exception {
        // given APEX_KAFKA_PORT and the JVM option variables set
        Map<String, String> env = Map.of("APEX_KAFKA_PORT", "29092", "APEX_SERVICE_JVM_OPTS", "-Xmx200m",
                "APEX_DISPATCHER_JVM_OPTS", "-Xmx300m", "APEX_SIMULATOR_JVM_OPTS", "");

        // when read against them
        LocalStack stack = LocalStack.parse(Files.readAllLines(FILE), env::get);

        // then each replaces its own value, the dispatchers' before the services' (an empty one is no setting)
        assertThat(stack.kafkaPort()).isEqualTo(29092);
        assertThat(stack.service("poller").jvmOptions()).containsExactly("-Xmx200m");
        assertThat(stack.service("dispatcher-openai").jvmOptions()).containsExactly("-Xmx300m");
        assertThat(stack.service("simulator").jvmOptions()).containsExactly("-Xmx3g", "-XX:+UseParallelGC");
    }

    @Test
    void shouldKeepACallersSettingOfAnEnvDefaultButNotOfAFixedEnv() throws Exception {
        // given a caller whose environment sets MALLOC_ARENA_MAX and APEX_DISPATCHER_PROVIDER
        Map<String, String> process = new java.util.HashMap<>(Map.of("MALLOC_ARENA_MAX", "4",
                "APEX_DISPATCHER_PROVIDER", "anthropic"));

        // when the openai dispatcher's environment is put in
        fileAsIs().service("dispatcher-openai").applyTo(process);

        // then the default gave way, the fixed setting did not
        assertThat(process).containsEntry("MALLOC_ARENA_MAX", "4").containsEntry("APEX_DISPATCHER_PROVIDER", "openai")
                .containsEntry("APEX_POLL_MIN_INTERVAL", "PT1S");
    }

    @Test
    void shouldRefuseWhatBashWouldReadDifferentlyNamingTheLine() {
        assertThatThrownBy(() -> LocalStack.parse(List.of("kafka.port=19092 \\", "  19093"), n -> null))
                .hasMessageContaining("line 1").hasMessageContaining("no escapes");
        assertThatThrownBy(() -> LocalStack.parse(List.of("kafka.port=1", "kafka.port=2"), n -> null))
                .hasMessageContaining("line 2").hasMessageContaining("set twice");
        assertThatThrownBy(() -> LocalStack.parse(List.of("kafka.port: 19092"), n -> null))
                .hasMessageContaining("not key=value");
    }

    @Test
    void shouldRefuseAPortThatIsNotOneNamingTheVariable() throws Exception {
        List<String> lines = Files.readAllLines(FILE);

        assertThatThrownBy(() -> LocalStack.parse(lines, Map.of("APEX_PG_PORT", "5432x")::get))
                .hasMessageContaining("postgres.port is '5432x', not a port").hasMessageContaining("APEX_PG_PORT");
    }

    @Test
    void shouldListTheDefinitionsPortsInTheArchitectureDocument() throws Exception {
        // given the section of docs/architecture.md that lists the ports
        String doc = Files.readString(ROOT.resolve("docs/architecture.md"));
        int start = doc.indexOf("## Ports (local stack)");
        assertThat(start).as("docs/architecture.md has a section 'Ports (local stack)'").isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);

        // then it names every port of the definition, by the definition's names
        LocalStack stack = fileAsIs();
        for (LocalStack.Service s : stack.services()) {
            assertThat(section).contains(s.name() + " " + s.port());
        }
        assertThat(section).contains("Kafka " + stack.kafkaPort(), "controller " + stack.kafkaControllerPort(),
                "Postgres " + stack.postgresPort());
    }

    @Test
    void shouldDeclareTheStacksPortsAndJvmOptionsNowhereElse() throws Exception {
        // given every port of the definition and every file of the stack's users
        LocalStack stack = fileAsIs();
        Set<Integer> ports = new java.util.TreeSet<>(Set.of(stack.kafkaPort(), stack.kafkaControllerPort(),
                stack.postgresPort()));
        stack.services().forEach(s -> ports.add(s.port()));
        Pattern port = Pattern.compile("(?<![\\w.])(" + ports.stream().map(String::valueOf)
                .collect(Collectors.joining("|")) + ")(?![\\w])");
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("apex"), ROOT.resolve("scripts/chaos.sh")));
        for (String dir : List.of("apex-cli/src/main/java", "e2e-tests/src/test/java", "test-support/src/main/java")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(dir))) {
                walk.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
            }
        }

        // when each is searched for them
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String name = ROOT.relativize(file).toString();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher p = port.matcher(lines.get(i));
                while (p.find()) {
                    problems.add(name + ":" + (i + 1) + " names port " + p.group(1));
                }
                Matcher j = JVM_OPTION.matcher(lines.get(i));
                while (j.find()) {
                    if (!NOT_THE_STACKS.getOrDefault(name, Set.of()).contains(j.group())) {
                        problems.add(name + ":" + (i + 1) + " declares " + j.group());
                    }
                }
            }
        }

        // then none declares one: they read it from LocalStack (Java) or the file itself (./apex)
        assertThat(files).hasSizeGreaterThan(50);
        assertThat(problems).as("ports and JVM options of the local stack outside " + FILE
                + ": read them from LocalStack instead").isEmpty();
    }
}
