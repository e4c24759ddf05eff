package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.dispatcher.domain.FakeProvider;
import io.apexaudition.dispatcher.domain.LaneDispatcher;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaOutage;
import io.apexaudition.messaging.KafkaSettings;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.testsupport.KafkaProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An OpenAI dispatcher's intake, built by hand on a test's own broker: its provider's ledger holds what it created and
 * called (what would be paid), each call taking {@link #CALL_TAKES}, and every lane group's dispatch is recorded with
 * its start and end; a test may have one dispatch fail.
 */
final class IntakeHarness implements AutoCloseable {
    /** A partition's mark in the dispatch state: the partition has state (it is restored, not derived from history). */
    static final byte[] MIGRATED_MARK = "{\"migratedAt\":\"2026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
    /** How long a synchronous call takes: long enough for two dispatches of one lane group to overlap, if they could. */
    static final Duration CALL_TAKES = Duration.ofMillis(500);

    /** A lane group's dispatch, from its start to its end (System.nanoTime). */
    record Dispatch(String groupKey, long started, long ended) {
    }

    final String servers;
    final TestDispatcherConfig config;
    /** The provider's ledger: every batch it created and every call it answered would be paid. */
    final FakeProvider provider = new FakeProvider(Providers.OPENAI, true);
    final List<Dispatch> dispatches = new CopyOnWriteArrayList<>();
    /**
     * The key of a lane group whose next dispatch fails before anything of it is sent or committed (as when Kafka
     * refuses its transaction), or null: the intake then restores every partition it owns again.
     */
    volatile String failNextDispatchOf;
    /** The key of a lane group whose next dispatch hits an {@link Error} (a stack overflow), or null. */
    volatile String errorNextDispatchOf;
    /** That Error cannot even be told (its {@code toString} throws, as when reporting runs out of memory too). */
    volatile boolean errorWithoutReport;
    final RequestIntake intake;
    /** The prompt catalog, read from the broker's apex.prompts as in the service. */
    final PromptCatalog prompts;
    /** How many times a request's prompt version was looked for after reading the catalog to its end, in vain. */
    final java.util.concurrent.atomic.AtomicInteger catalogCatchUps = new java.util.concurrent.atomic.AtomicInteger();
    private final TransactionalPublisher publisher;
    private final AcceptedRuns runs;
    private final KafkaProducer<String, byte[]> producer;

    IntakeHarness(String servers) {
        this.servers = servers;
        this.config = new TestDispatcherConfig(Providers.OPENAI, servers, "intake-" + UUID.randomUUID(),
                Duration.ofSeconds(1), Duration.ofSeconds(30), 5, TestDispatcherConfig.sync(1, OptionalInt.empty()));
        provider.onCall = body -> sleep(CALL_TAKES);
        this.publisher = new TransactionalPublisher(servers, config.transactionalId(), Duration.ofSeconds(30));
        OwnedLaneStates states = new OwnedLaneStates(publisher, config);
        this.runs = new AcceptedRuns(config);
        LaneDispatcher dispatcher = new LaneDispatcher(provider, states, config) {
            @Override
            public void dispatch(LaneGroup group) {
                if (group.key().equals(failNextDispatchOf)) {
                    failNextDispatchOf = null;
                    throw new IllegalStateException("the dispatch of " + group.key() + " failed (the test's doing)");
                }
                if (group.key().equals(errorNextDispatchOf)) {
                    errorNextDispatchOf = null;
                    if (errorWithoutReport) {
                        throw new StackOverflowError() {
                            @Override
                            public String toString() {
                                throw new IllegalStateException("this error cannot be told (the test's doing)");
                            }
                        };
                    }
                    throw new StackOverflowError("scripted for " + group.key());
                }
                long started = System.nanoTime();
                try {
                    super.dispatch(group);
                } finally {
                    dispatches.add(new Dispatch(group.key(), started, System.nanoTime()));
                }
            }
        };
        this.prompts = new PromptCatalog(config) {
            @Override
            public java.util.Optional<GenerationRequested> resolve(GenerationRequested r, Duration catchUp) {
                java.util.Optional<GenerationRequested> resolved = super.resolve(r, catchUp);
                if (resolved.isEmpty() && !catchUp.isZero()) {
                    catalogCatchUps.incrementAndGet(); // a version missing after the catalog was read to its end
                }
                return resolved;
            }
        };
        this.intake = new RequestIntake(config, publisher, states, runs, prompts, dispatcher,
                new KafkaOutage(), new SimpleMeterRegistry());
        Map<String, Object> settings = KafkaSettings.producer(servers);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(settings);
    }

    /** The intake joins the group and dispatches on its own thread, as in the service. */
    IntakeHarness start() {
        runs.startReading();
        prompts.start(null);
        intake.start(null);
        return this;
    }

    /**
     * Writes a record as it is (a null value: a tombstone) to a partition of a topic, or (null) to the one its key
     * gives; answers its offset.
     */
    long send(String topic, Integer partition, String key, byte[] value) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, partition, key, value))
                    .get(30, TimeUnit.SECONDS);
            return written.offset();
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic + "-" + partition, e);
        }
    }

    long send(String topic, Integer partition, ApexEvent event) {
        return send(topic, partition, event.key(), EventJson.writeBytes(event));
    }

    /** The request partition's offset committed for the dispatchers' group, or -1 when it has none. */
    long committed(int partition) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                    Map.of(config.groupId(), new ListConsumerGroupOffsetsSpec()))
                    .partitionsToOffsetAndMetadata(config.groupId()).get(30, TimeUnit.SECONDS);
            OffsetAndMetadata offset = offsets.get(new TopicPartition(Topics.GENERATION_REQUESTS_OPENAI.name(),
                    partition));
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the offsets of " + config.groupId(), e);
        }
    }

    /** Commits an offset of a request partition for the dispatchers' group (before any member joined it). */
    void commit(int partition, long offset) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.alterConsumerGroupOffsets(config.groupId(), Map.of(new TopicPartition(
                    Topics.GENERATION_REQUESTS_OPENAI.name(), partition), new OffsetAndMetadata(offset)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not commit an offset for " + config.groupId(), e);
        }
    }

    /**
     * Gives a request partition dispatch state in which the entry of a request's lane group, whose last record is at
     * {@code at}, cannot be read by this dispatcher (a newer version of it wrote it), and commits {@code at} as the
     * partition's offset; answers the entry's key.
     */
    String unreadableEntry(int partition, GenerationRequested request, long at) {
        String state = Topics.DISPATCH_STATE_OPENAI.name();
        String key = LaneGroup.key(request.runId(), request.conditionSlug(), request.attempt());
        send(state, partition, OwnedLaneStates.MIGRATED, MIGRATED_MARK);
        send(state, partition, key,
                new LaneGroupState(LaneGroupState.SCHEMA_VERSION + 1, key, at, List.of()).toBytes());
        commit(partition, at);
        return key;
    }

    @Override
    public void close() throws Exception {
        try {
            intake.stop(null);
        } finally {
            runs.stop(null);
            prompts.stop(null);
            producer.close();
            publisher.close();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the planner commits with a run's requests: the dispatcher honours requests of accepted runs only. */
    static RunAccepted accepted(String runId, RunMode mode) {
        return new RunAccepted("a-" + runId, 1, Instant.now(), runId, mode, false, false, true, null, 1, "test", "",
                List.of(), List.of("p01"), 1);
    }

    /** A request of a lane of o3 carrying its own texts (nothing to look up in the prompt catalog). */
    static GenerationRequested request(String runId, String slug, String promptId, int attempt, RunMode mode,
                                       boolean dryRun, int laneGenerations) {
        String id = EventIds.generationId(runId, slug, promptId, 1);
        return new GenerationRequested("e-" + id + "-" + attempt, 1, Instant.now(), runId, id, attempt, "cond-" + slug,
                slug, Providers.OPENAI, "o3", "o3", new LaneParameters(null, null, 36000, "high", null), promptId, 1,
                "Write a sonnet about tides", "House style", 1, mode, false, dryRun, true, laneGenerations);
    }

    /** A Kafka broker of a test class's own (its topics hold nothing of other tests), started before its tests. */
    static final class Broker implements BeforeAllCallback, AfterAllCallback {
        private Path dir;
        private KafkaProcess kafka;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            dir = Files.createTempDirectory("intake-kafka");
            kafka = KafkaProcess.start(dir);
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (kafka != null) {
                kafka.close();
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }

        String servers() {
            return kafka.bootstrapServers();
        }
    }
}
