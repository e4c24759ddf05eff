package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.PlannerConfig;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.RunPlan;
import io.apexaudition.planner.domain.RunProgress;
import io.apexaudition.planner.domain.RunTally;
import io.apexaudition.planner.domain.SourceRuns;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The planner's Kafka Streams topology: consumes {@code apex.run-commands} (with the lanes and prompts of
 * {@code apex.lanes} and {@code apex.prompts} as global stores) and produces RunAccepted / RunRejected to
 * {@code apex.runs} and GenerationRequested to each provider's request topic, in one exactly-once
 * transaction per command. It also counts final results per run and emits RunCompleted (see {@link #progress}).
 */
@ApplicationScoped
public class PlannerTopology {
    public static final String LANES_STORE = "lanes";
    public static final String PROMPTS_STORE = "prompts";
    public static final String PLANNED_RUNS_STORE = "planned-runs";
    /** Each accepted judging command by its judging run id: what a retry of a judge request is rebuilt from. */
    public static final String JUDGING_COMMANDS_STORE = "judging-commands";
    public static final String PROGRESS_STORE = "run-progress";

    static final String COMMANDS_SOURCE = "run-commands";
    static final String PLANNER = "planner";
    static final String RUNS_SINK = "runs";
    static final String OPENAI_SINK = "openai-requests";
    static final String ANTHROPIC_SINK = "anthropic-requests";
    static final String DEAD_LETTER_SINK = "dead-letters";

    @Produces
    public Topology topology(PlannerConfig config, PlannerMetrics metrics, RunsDirectory runs) {
        return build(Clock.systemUTC(), new RunPlanner.Caps(config.maxRunGenerations(), config.maxRunCostUsd()),
                metrics, runs);
    }

    /** With the default caps, knowing no source run (tests). */
    public static Topology build(Clock clock) {
        return build(clock, RunPlanner.Caps.DEFAULT, SourceRuns.NONE);
    }

    /** With these caps, knowing no source run (tests). */
    public static Topology build(Clock clock, RunPlanner.Caps caps) {
        return build(clock, caps, SourceRuns.NONE);
    }

    /** With meters no one reads (tests). */
    public static Topology build(Clock clock, RunPlanner.Caps caps, SourceRuns sourceRuns) {
        return build(clock, caps, new PlannerMetrics(new SimpleMeterRegistry()), sourceRuns);
    }

    public static Topology build(Clock clock, RunPlanner.Caps caps, PlannerMetrics metrics, SourceRuns sourceRuns) {
        StreamsBuilder builder = new StreamsBuilder();
        progress(builder, clock);
        Topology topology = builder.build();
        topology.addGlobalStore(catalogStore(LANES_STORE), "lanes-source", Serdes.String().deserializer(),
                Serdes.String().deserializer(), Topics.LANES.name(), "lanes-updater",
                () -> new CatalogStoreUpdater(LANES_STORE));
        topology.addGlobalStore(catalogStore(PROMPTS_STORE), "prompts-source", Serdes.String().deserializer(),
                Serdes.String().deserializer(), Topics.PROMPTS.name(), "prompts-updater",
                () -> new CatalogStoreUpdater(PROMPTS_STORE));

        topology.addSource(COMMANDS_SOURCE, Serdes.String().deserializer(), Serdes.String().deserializer(),
                Topics.RUN_COMMANDS.name());
        topology.addProcessor(PLANNER, () -> new RunCommandProcessor(clock, caps, metrics, sourceRuns),
                COMMANDS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PLANNED_RUNS_STORE),
                Serdes.String(), Serdes.String()), PLANNER);
        // a judging command is up to 4 MiB (Topics.MAX_COMMAND_BYTES): its changelog takes records of a command's size
        // whatever the broker's default
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JUDGING_COMMANDS_STORE),
                Serdes.String(), Serdes.String()).withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(Topics.MAX_MESSAGE_BYTES))), PLANNER);
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

    /**
     * Run progress: each lane's count of final generations ({@link LaneCountProcessor}, under the results' own key
     * {@code runId/slug}, so without a repartition per result), as a cached table whose updates reach the run's
     * tally once per lane per commit; the tally (subtract the lane's old count, add its new one) is joined with the
     * run's plan, and {@link CompletionGate} emits RunCompleted. The joined table is the queryable
     * {@value #PROGRESS_STORE} store behind live progress.
     */
    private static void progress(StreamsBuilder builder, Clock clock) {
        KTable<String, RunPlan> plans = builder.stream(Topics.RUNS.name(), Consumed.with(Serdes.String(),
                        Serdes.String()))
                .flatMapValues(PlannerTopology::acceptedOnly)
                .toTable(Named.as("plans"), Materialized.<String, RunPlan, KeyValueStore<Bytes, byte[]>>as("plans")
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(RunPlan.class)));
        // not cached: its keys are distinct generations, so a cache would batch nothing, and each cached entry keeps
        // the whole source record (a ~3 KB result) in the heap until it is evicted
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LaneCountProcessor.FINALS_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LaneCountProcessor.COUNTS_STORE), Serdes.String(),
                JsonSerde.of(RunTally.LaneCount.class)).withCachingEnabled());
        KTable<String, RunTally.LaneCount> laneCounts = builder.stream(Topics.GENERATION_RESULTS.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .processValues(LaneCountProcessor::new, Named.as("lane-counter"), LaneCountProcessor.FINALS_STORE,
                        LaneCountProcessor.COUNTS_STORE)
                .toTable(Named.as("lane-tallies"), Materialized.<String, RunTally.LaneCount,
                                KeyValueStore<Bytes, byte[]>>as("lane-tallies")
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(RunTally.LaneCount.class))
                        .withCachingEnabled());
        KTable<String, RunTally> tallies = laneCounts
                .groupBy((laneKey, count) -> KeyValue.pair(count.runId(), count),
                        Grouped.with("lane-counts-by-run", Serdes.String(), JsonSerde.of(RunTally.LaneCount.class)))
                .aggregate(() -> RunTally.EMPTY, (runId, count, tally) -> tally.add(count),
                        (runId, count, tally) -> tally.subtract(count),
                        Materialized.<String, RunTally, KeyValueStore<Bytes, byte[]>>as("run-lane-tallies")
                                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(RunTally.class)));
        KTable<String, RunProgress> progress = plans.leftJoin(tallies,
                (plan, tally) -> RunProgress.of(plan.runId(), plan.lanes(), tally),
                Materialized.<String, RunProgress, KeyValueStore<Bytes, byte[]>>as(PROGRESS_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(RunProgress.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CompletionGate.STORE),
                Serdes.String(), Serdes.String()));
        progress.toStream()
                .process(() -> new CompletionGate(clock), Named.as("completion-gate"), CompletionGate.STORE)
                .to(Topics.RUNS.name(), Produced.with(Serdes.String(), Serdes.String()));
    }

    private static List<RunPlan> acceptedOnly(String json) {
        try {
            return EventJson.read(json) instanceof RunAccepted a ? List.of(RunPlan.of(a)) : List.of();
        } catch (RuntimeException e) { // unreadable, or a plan that cannot be made of it: no progress to track
            return List.of();
        }
    }

    /** Global stores mirror their topic exactly (key {@code id/vN} to JSON), restored or processed alike. */
    private static StoreBuilder<KeyValueStore<String, String>> catalogStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
                .withLoggingDisabled();
    }
}
