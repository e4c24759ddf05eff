package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.testsupport.HostileRecords;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever is published to apex.run-commands, the planner plans it or parks it, and the next valid command is
 * planned: no record stops the commands behind it.
 */
class RunCommandPropertyTest {
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> commands;
    private TestOutputTopic<String, String> runs;
    private int next;

    @BeforeProperty
    void start() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-property");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("planner-property").toString());
        driver = new TopologyTestDriver(PlannerTopology.build(Clock.fixed(Fixtures.AT, ZoneOffset.UTC)), props);
        var s = Serdes.String();
        commands = driver.createInputTopic(Topics.RUN_COMMANDS.name(), s.serializer(), s.serializer());
        runs = driver.createOutputTopic(Topics.RUNS.name(), s.deserializer(), s.deserializer());
        var lanes = driver.createInputTopic(Topics.LANES.name(), s.serializer(), s.serializer());
        var prompts = driver.createInputTopic(Topics.PROMPTS.name(), s.serializer(), s.serializer());
        lanes.pipeInput(Fixtures.gpt5Min().key(), EventJson.write(Fixtures.gpt5Min()));
        prompts.pipeInput(Fixtures.prompt(1).key(), EventJson.write(Fixtures.prompt(1)));
    }

    @AfterProperty
    void stop() {
        driver.close();
    }

    @Provide
    Arbitrary<String> commands() {
        return HostileRecords.texts(RunRequested.class, RetryRequested.class);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, HostileRecords.text()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<String> consumedTopics() {
        return Arbitraries.of(Topics.RUNS.name(), Topics.GENERATION_RESULTS.name(), Topics.LANES.name(),
                Topics.PROMPTS.name());
    }

    @Provide
    Arbitrary<String> anyEvent() {
        return HostileRecords.texts(io.apexaudition.events.RunAccepted.class,
                io.apexaudition.events.GenerationCompleted.class, io.apexaudition.events.LaneRegistered.class,
                io.apexaudition.events.PromptIngested.class, io.apexaudition.events.RunCompleted.class);
    }

    @Property(tries = 200, seed = "20261201")
    void shouldTakeOrIgnoreAnyRecordOnTheTopicsItTalliesAndStillPlanTheNextCommand(
            @ForAll("consumedTopics") String topic, @ForAll("keys") String key, @ForAll("anyEvent") String value) {
        // given any record on the runs, results, lanes or prompts topic (piping it must not throw)
        var s = Serdes.String();
        driver.createInputTopic(topic, s.serializer(), s.serializer()).pipeInput(key, value);
        runs.readValuesToList();

        // when a valid command follows it, then it gets a verdict: planned, or rejected with the reason (a lane
        // record that is not what the planner registered may well make a run impossible, and must say so)
        String runId = "run-after-" + next++;
        commands.pipeInput(runId, "{\"runId\":\"" + runId + "\",\"allLanes\":true,\"dryRun\":true}");
        assertThat(runs.readValuesToList()).anySatisfy(v -> assertThat(EventJson.read(v)).satisfiesAnyOf(
                e -> assertThat(e).isInstanceOfSatisfying(RunAccepted.class, a -> assertThat(a.runId()).isEqualTo(runId)),
                e -> assertThat(e).isInstanceOfSatisfying(io.apexaudition.events.RunRejected.class,
                        r -> assertThat(r.runId()).isEqualTo(runId))));
    }

    @Property(tries = 200, seed = "20261201")
    void shouldPlanOrParkEveryCommandAndStillPlanTheNextOne(@ForAll("commands") String command,
                                                            @ForAll("keys") String key) {
        // given any record on the command topic (piping it must not throw)
        commands.pipeInput(key, command);
        runs.readValuesToList();

        // when a valid command follows it
        String runId = "run-next-" + next++;
        commands.pipeInput(runId, "{\"runId\":\"" + runId + "\",\"allLanes\":true,\"dryRun\":true}");

        // then that one is planned
        assertThat(runs.readValuesToList()).anySatisfy(v -> assertThat(EventJson.read(v))
                .isInstanceOfSatisfying(RunAccepted.class, a -> assertThat(a.runId()).isEqualTo(runId)));
    }
}
