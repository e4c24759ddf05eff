package io.apexaudition.planner.messaging;

import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.RunPlanner;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTopologyTest {
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> commands;
    private TestOutputTopic<String, String> runs;
    private TestOutputTopic<String, String> openai;
    private TestOutputTopic<String, String> anthropic;
    private TestOutputTopic<String, String> deadLetters;

    @BeforeEach
    void setUp() throws Exception {
        start(RunPlanner.Caps.DEFAULT);
    }

    private void start(RunPlanner.Caps caps) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("planner").toString());
        driver = new TopologyTestDriver(PlannerTopology.build(Clock.fixed(Fixtures.AT, ZoneOffset.UTC), caps), props);
        var s = Serdes.String();
        commands = driver.createInputTopic(Topics.RUN_COMMANDS.name(), s.serializer(), s.serializer());
        runs = driver.createOutputTopic(Topics.RUNS.name(), s.deserializer(), s.deserializer());
        openai = driver.createOutputTopic(Topics.GENERATION_REQUESTS_OPENAI.name(), s.deserializer(), s.deserializer());
        anthropic = driver.createOutputTopic(Topics.GENERATION_REQUESTS_ANTHROPIC.name(), s.deserializer(),
                s.deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), s.deserializer(), s.deserializer());
        var lanes = driver.createInputTopic(Topics.LANES.name(), s.serializer(), s.serializer());
        var prompts = driver.createInputTopic(Topics.PROMPTS.name(), s.serializer(), s.serializer());
        lanes.pipeInput(Fixtures.gpt5Min().key(), EventJson.write(Fixtures.gpt5Min()));
        lanes.pipeInput(Fixtures.sonnetStd().key(), EventJson.write(Fixtures.sonnetStd()));
        for (int i = 1; i <= 3; i++) {
            prompts.pipeInput(Fixtures.prompt(i).key(), EventJson.write(Fixtures.prompt(i)));
        }
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldRouteEachLanesRequestsToItsProvidersTopicKeyedByRunAndLane() {
        commands.pipeInput("run-7", "{\"runId\":\"run-7\",\"allLanes\":true,\"dryRun\":true}");

        RunAccepted accepted = EventJson.read(runs.readValue(), RunAccepted.class);
        assertThat(accepted.expectedGenerations()).isEqualTo(6);
        var openaiRecords = openai.readKeyValuesToList();
        var anthropicRecords = anthropic.readKeyValuesToList();
        assertThat(openaiRecords).hasSize(3).allMatch(kv -> kv.key.equals("run-7/gpt5.reason-min"));
        assertThat(anthropicRecords).hasSize(3).allMatch(kv -> kv.key.equals("run-7/sonnet.t0-8.std"));
        GenerationRequested first = EventJson.read(openaiRecords.get(0).value, GenerationRequested.class);
        assertThat(first.dryRun()).isTrue();
        assertThat(first.promptText()).isEqualTo("Write piece number 1");
    }

    @Test
    void shouldRejectMalformedJsonAndKeepPlanningTheNextCommand() {
        commands.pipeInput("run-bad", "{\"runId\": \"run-bad\", oops");
        commands.pipeInput("run-good", "{\"runId\":\"run-good\",\"conditionSlugs\":[\"gpt5.reason-min\"]}");

        RunRejected rejected = EventJson.read(runs.readValue(), RunRejected.class);
        assertThat(rejected.runId()).isEqualTo("run-bad");
        assertThat(rejected.reason()).contains("malformed JSON");
        assertThat(EventJson.read(runs.readValue(), RunAccepted.class).runId()).isEqualTo("run-good");
        assertThat(openai.readValuesToList()).hasSize(3);
    }

    @Test
    void shouldNotPlanTheSameRunTwiceWhenItsCommandIsPublishedAgain() {
        String command = "{\"runId\":\"run-twice\",\"conditionSlugs\":[\"sonnet.t0-8.std\"]}";
        commands.pipeInput("run-twice", command);
        commands.pipeInput("run-twice", command);

        assertThat(runs.readValuesToList()).hasSize(1);
        assertThat(anthropic.readValuesToList()).hasSize(3);
        DeadLettered parked = EventJson.read(deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("already planned");
    }

    @Test
    void shouldParkAMalformedCommandInTheDeadLetterTopicAsWellAsRejectingIt() {
        commands.pipeInput("run-garbled", "{\"runId\": \"run-garbled\", oops");

        assertThat(EventJson.read(runs.readValue(), RunRejected.class).runId()).isEqualTo("run-garbled");
        DeadLettered parked = EventJson.read(deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.sourceKey()).isEqualTo("run-garbled");
        assertThat(parked.reason()).contains("malformed JSON");
    }

    @Test
    void shouldParkAHugeCommandUnreadAndPlanTheNextOne() {
        // given a command over the command size limit (a 5 MB note)
        String huge = "{\"runId\":\"run-huge\",\"conditionSlugs\":[\"gpt5.reason-min\"],\"notes\":\""
                + "x".repeat(5 * 1024 * 1024) + "\"}";

        // when it arrives before a normal command
        commands.pipeInput("run-huge", huge);
        commands.pipeInput("run-after", "{\"runId\":\"run-after\",\"conditionSlugs\":[\"gpt5.reason-min\"]}");

        // then it is parked with the limit named and an echo that is short, and the next run is planned
        DeadLettered parked = EventJson.read(deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("over the " + Topics.MAX_COMMAND_BYTES);
        assertThat(parked.payload().length()).isLessThan(2_000);
        assertThat(EventJson.read(runs.readValue(), RunRejected.class).runId()).isEqualTo("run-huge");
        assertThat(EventJson.read(runs.readValue(), RunAccepted.class).runId()).isEqualTo("run-after");
        assertThat(openai.readValuesToList()).hasSize(3);
    }

    @Test
    void shouldParkARetryOfARunThePlannerNeverPlanned() {
        commands.pipeInput("run-nobody", "{\"type\":\"RetryRequested\",\"runId\":\"run-nobody\","
                + "\"retryId\":\"retry-1\",\"generations\":[{\"generationId\":\"g1\",\"attempt\":1,"
                + "\"conditionId\":\"c1\",\"conditionSlug\":\"gpt5.reason-min\",\"promptId\":\"p01\","
                + "\"promptVersion\":1,\"replicate\":1}]}");

        DeadLettered parked = EventJson.read(deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("run-nobody").contains("never planned");
        assertThat(openai.isEmpty()).isTrue();
        assertThat(anthropic.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectARunOverTheGenerationCapTheServiceWasGiven() throws Exception {
        // given a planner capped at 5 generations per run
        driver.close();
        start(new RunPlanner.Caps(5, new BigDecimal("5000")));

        // when a run of 2 lanes x 3 prompts arrives
        commands.pipeInput("run-big", "{\"runId\":\"run-big\",\"allLanes\":true,\"dryRun\":true}");

        // then it is rejected with the cap named and nothing is fanned out
        RunRejected rejected = EventJson.read(runs.readValue(), RunRejected.class);
        assertThat(rejected.reason()).contains("6 generations").contains("APEX_PLANNER_MAX_RUN_GENERATIONS");
        assertThat(openai.isEmpty()).isTrue();
        assertThat(anthropic.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectACommandWithANulInItsNotesAndPublishNoNulAnywhere() {
        commands.pipeInput("run-nul", "{\"runId\":\"run-nul\",\"conditionSlugs\":[\"gpt5.reason-min\"],"
                + "\"notes\":\"a\\u0000b\"}");

        RunRejected rejected = EventJson.read(runs.readValue(), RunRejected.class);
        assertThat(rejected.runId()).isEqualTo("run-nul");
        assertThat(rejected.problems()).singleElement().asString().startsWith("notes holds the control character "
                + "U+0000 (NUL)");
        assertThat(rejected.reason() + rejected.problems() + rejected.rawCommand()).doesNotContain("\u0000");
        assertThat(openai.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectAnUnreadableCommandWithRawControlCharactersInPrintableForm() {
        // given a record whose key and JSON carry raw control characters (not even valid JSON)
        commands.pipeInput("run-\u0000x", "{\"runId\": \"run-\u0000x\u0007\"");

        // then the rejection and the parked record show them escaped, so the recorder can store both
        RunRejected rejected = EventJson.read(runs.readValue(), RunRejected.class);
        DeadLettered parked = EventJson.read(deadLetters.readValue(), DeadLettered.class);
        assertThat(rejected.runId()).isEqualTo("run-\\u0000x");
        for (String text : List.of(rejected.runId(), rejected.reason(), rejected.rawCommand(), parked.sourceKey(),
                parked.reason(), parked.payload())) {
            assertThat(text.chars()).noneMatch(Character::isISOControl);
        }
        assertThat(rejected.rawCommand()).contains("\\u0000x\\u0007");
    }

    @Test
    void shouldParkARetryWhoseIdHoldsAControlCharacterNamingTheField() {
        commands.pipeInput("run-7", "{\"type\":\"RetryRequested\",\"runId\":\"run-7\","
                + "\"retryId\":\"retry\\u001b[2J\",\"generations\":[{\"generationId\":\"g1\",\"attempt\":1,"
                + "\"conditionId\":\"c1\",\"conditionSlug\":\"gpt5.reason-min\",\"promptId\":\"p01\","
                + "\"promptVersion\":1,\"replicate\":1}]}");

        DeadLettered parked = EventJson.read(deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("retryId holds the control character U+001B")
                .doesNotContain("\u001b");
        assertThat(runs.isEmpty()).isTrue();
    }
}
