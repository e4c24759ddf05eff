package io.apexaudition.planner.messaging;

import io.apexaudition.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;

/**
 * The planner's Kafka Streams topology: consumes {@code apex.run-commands} (with the lanes and prompts of
 * {@code apex.lanes} and {@code apex.prompts} as global stores) and produces RunAccepted / RunRejected to
 * {@code apex.runs} and GenerationRequested to each provider's request topic, in one exactly-once
 * transaction per command.
 */
@ApplicationScoped
public class PlannerTopology {
    public static final String LANES_STORE = "lanes";
    public static final String PROMPTS_STORE = "prompts";
    public static final String PLANNED_RUNS_STORE = "planned-runs";

    static final String COMMANDS_SOURCE = "run-commands";
    static final String PLANNER = "planner";
    static final String RUNS_SINK = "runs";
    static final String OPENAI_SINK = "openai-requests";
    static final String ANTHROPIC_SINK = "anthropic-requests";
    static final String DEAD_LETTER_SINK = "dead-letters";

    @Produces
    public Topology topology() {
        return build(Clock.systemUTC());
    }

    public static Topology build(Clock clock) {
        Topology topology = new Topology();
        topology.addGlobalStore(catalogStore(LANES_STORE), "lanes-source", Serdes.String().deserializer(),
                Serdes.String().deserializer(), Topics.LANES.name(), "lanes-updater",
                () -> new CatalogStoreUpdater(LANES_STORE));
        topology.addGlobalStore(catalogStore(PROMPTS_STORE), "prompts-source", Serdes.String().deserializer(),
                Serdes.String().deserializer(), Topics.PROMPTS.name(), "prompts-updater",
                () -> new CatalogStoreUpdater(PROMPTS_STORE));

        topology.addSource(COMMANDS_SOURCE, Serdes.String().deserializer(), Serdes.String().deserializer(),
                Topics.RUN_COMMANDS.name());
        topology.addProcessor(PLANNER, () -> new RunCommandProcessor(clock), COMMANDS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PLANNED_RUNS_STORE),
                Serdes.String(), Serdes.String()), PLANNER);
        topology.addSink(RUNS_SINK, Topics.RUNS.name(), Serdes.String().serializer(), Serdes.String().serializer(),
                PLANNER);
        topology.addSink(OPENAI_SINK, Topics.GENERATION_REQUESTS_OPENAI.name(), Serdes.String().serializer(),
                Serdes.String().serializer(), PLANNER);
        topology.addSink(ANTHROPIC_SINK, Topics.GENERATION_REQUESTS_ANTHROPIC.name(), Serdes.String().serializer(),
                Serdes.String().serializer(), PLANNER);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), Serdes.String().serializer(),
                Serdes.String().serializer(), PLANNER);
        return topology;
    }

    /** Global stores mirror their topic exactly (key {@code id/vN} to JSON), restored or processed alike. */
    private static StoreBuilder<KeyValueStore<String, String>> catalogStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
                .withLoggingDisabled();
    }
}
