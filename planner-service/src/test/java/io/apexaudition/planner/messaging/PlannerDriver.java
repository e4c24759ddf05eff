package io.apexaudition.planner.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.SourceRuns;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The planner's topology in a {@link TopologyTestDriver} (a fixed clock, state in a fresh directory, no store
 * cache unless asked for), with its input and output topics.
 */
final class PlannerDriver implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, String> commands;
    final TestInputTopic<String, String> runsIn;
    final TestInputTopic<String, String> results;
    final TestOutputTopic<String, String> runs;
    final Requests openai;
    final Requests anthropic;
    final TestOutputTopic<String, String> deadLetters;
    private final TestInputTopic<String, String> lanes;
    private final TestInputTopic<String, String> prompts;

    PlannerDriver(String name, RunPlanner.Caps caps, SourceRuns sourceRuns) {
        this(name, caps, sourceRuns, 0);
    }

    /** With a store cache of this many bytes (the service runs with Kafka Streams' default, 10 MiB). */
    PlannerDriver(String name, RunPlanner.Caps caps, SourceRuns sourceRuns, long cacheBytes) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cacheBytes));
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(name).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(PlannerTopology.build(Clock.fixed(Fixtures.AT, ZoneOffset.UTC), caps,
                sourceRuns), props);
        var s = Serdes.String();
        commands = driver.createInputTopic(Topics.RUN_COMMANDS.name(), s.serializer(), s.serializer());
        runsIn = driver.createInputTopic(Topics.RUNS.name(), s.serializer(), s.serializer());
        results = driver.createInputTopic(Topics.GENERATION_RESULTS.name(), s.serializer(), s.serializer());
        lanes = driver.createInputTopic(Topics.LANES.name(), s.serializer(), s.serializer());
        prompts = driver.createInputTopic(Topics.PROMPTS.name(), s.serializer(), s.serializer());
        runs = driver.createOutputTopic(Topics.RUNS.name(), s.deserializer(), s.deserializer());
        openai = new Requests(driver.createOutputTopic(Topics.GENERATION_REQUESTS_OPENAI.name(), s.deserializer(),
                s.deserializer()));
        anthropic = new Requests(driver.createOutputTopic(Topics.GENERATION_REQUESTS_ANTHROPIC.name(),
                s.deserializer(), s.deserializer()));
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), s.deserializer(), s.deserializer());
    }

    /**
     * A request topic read as its requests: each lane group's record ({@code LaneGroupRequested}) expanded into the
     * {@code GenerationRequested}s it carries, each under its record's key, as the dispatchers and the recorder read
     * them; {@link #records} reads the records themselves.
     */
    static final class Requests {
        private final TestOutputTopic<String, String> topic;

        Requests(TestOutputTopic<String, String> topic) {
            this.topic = topic;
        }

        boolean isEmpty() {
            return topic.isEmpty();
        }

        List<KeyValue<String, String>> records() {
            return topic.readKeyValuesToList();
        }

        List<KeyValue<String, String>> readKeyValuesToList() {
            return expand(topic.readKeyValuesToList());
        }

        /** The requests the records carry, each under its record's key. */
        static List<KeyValue<String, String>> expand(List<KeyValue<String, String>> records) {
            List<KeyValue<String, String>> requests = new ArrayList<>();
            for (KeyValue<String, String> record : records) {
                if (EventJson.read(record.value) instanceof LaneGroupRequested part) {
                    part.requests().forEach(r -> requests.add(KeyValue.pair(record.key, EventJson.write(r))));
                } else {
                    requests.add(record);
                }
            }
            return requests;
        }

        List<String> readValuesToList() {
            return readKeyValuesToList().stream().map(kv -> kv.value).toList();
        }
    }

    /** Registers lanes and ingests prompts, as the planner's own registration publishes them. */
    PlannerDriver with(ApexEvent... catalog) {
        for (ApexEvent event : catalog) {
            if (event instanceof LaneRegistered lane) {
                lanes.pipeInput(lane.key(), EventJson.write(lane));
            } else if (event instanceof PromptIngested prompt) {
                prompts.pipeInput(prompt.key(), EventJson.write(prompt));
            } else {
                throw new IllegalArgumentException("not a lane or a prompt: " + event);
            }
        }
        return this;
    }

    /** A record on any topic the planner reads. */
    TestInputTopic<String, String> input(String topic) {
        var s = Serdes.String();
        return driver.createInputTopic(topic, s.serializer(), s.serializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
