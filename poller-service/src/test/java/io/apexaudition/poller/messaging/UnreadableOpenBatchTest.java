package io.apexaudition.poller.messaging;

import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaSettings;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.poller.PollerConfig;
import io.apexaudition.poller.ScriptedProviders;
import io.apexaudition.poller.health.OpenBatchesCheck;
import io.apexaudition.testsupport.KafkaProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Entries of apex.open-batches this poller cannot read, on a broker of its own (an entry left there would be named
 * in every later restore of the same broker): the intake built by hand restores the other batches of every partition
 * and polls them, names the unreadable entry in readiness with its partition, key and fix, and honours the latest
 * record of its key (a tombstone, or an entry that reads) at its next restore.
 */
class UnreadableOpenBatchTest {
    private static final String OPEN_BATCHES = Topics.OPEN_BATCHES.name();
    /** A BatchSubmitted as a newer poller might write it: a schema version this one does not know. */
    private static final String NEWER = "{\"type\":\"BatchSubmitted\",\"schemaVersion\":99,\"batchId\":\"%s\"}";

    private static Path dir;
    private static KafkaProcess kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("poller-kafka");
        kafka = KafkaProcess.start(dir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void shouldPollTheOtherOpenBatchesAndNameAnUnreadableEntryUntilItsTombstoneIsRestored() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bad = "bad-" + run;
        String same = "same-partition-" + run;
        String other = "other-partition-" + run;
        try (Poller poller = new Poller()) {
            // given partition 0 of apex.open-batches with an open batch and an entry a newer poller wrote
            poller.send(OPEN_BATCHES, 0, same, EventJson.writeBytes(ScriptedProviders.batch(same, run)));
            poller.send(OPEN_BATCHES, 0, bad, String.format(NEWER, bad).getBytes(StandardCharsets.UTF_8));
            // and partition 1 with an open batch
            poller.send(OPEN_BATCHES, 1, other, EventJson.writeBytes(ScriptedProviders.batch(other, run)));

            // when the poller is given its partitions and restores them
            poller.restoreAll();

            // then the other batches, of its own partition and of the other one, are polled, and the unreadable one
            // is not
            assertThat(poller.batches.pollable()).extracting(BatchSubmitted::batchId).contains(same, other)
                    .doesNotContain(bad);
            // and readiness is UP (every other batch is served) but names the entry's partition, key, problem and fix
            HealthCheckResponse ready = poller.check.call();
            assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(ready.getData()).hasValueSatisfying(data -> assertThat(data.get("unreadable")).asString()
                    .contains("partition 0 of apex.open-batches, key '" + bad + "'")
                    .contains("schemaVersion 99")
                    .contains("in partition 0 of apex.open-batches")
                    .contains("delete it (a tombstone under its key in that partition)"));

            // and the partition with the unreadable entry is not held: a new submission there is copied and polled
            String submitted = "submitted-" + run;
            poller.send(Topics.BATCHES.name(), 0, "intent-" + submitted,
                    EventJson.writeBytes(ScriptedProviders.batch(submitted, run)));
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                poller.intake.step(Duration.ofMillis(100));
                return poller.batches.pollable().stream().anyMatch(b -> b.batchId().equals(submitted));
            });

            // when the operator deletes the entry (a tombstone under its key) and the poller restores again
            poller.send(OPEN_BATCHES, 0, bad, null);
            poller.intake.resync();
            poller.restoreAll();

            // then nothing is named any more, and the open batches are all still polled
            assertThat(String.valueOf(poller.check.call().getData().map(d -> d.get("unreadable")).orElse(null)))
                    .doesNotContain(bad);
            assertThat(poller.batches.pollable()).extracting(BatchSubmitted::batchId)
                    .contains(same, other, submitted).doesNotContain(bad);
        }
    }

    @Test
    void shouldHonourTheLatestRecordOfAKeyWhetherItReadsOrNot() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String fixed = "fixed-" + run;
        String broken = "broken-" + run;
        try (Poller poller = new Poller()) {
            // given in partition 2 an unreadable entry that a readable one of the same key replaced (the operator
            // wrote the batch's BatchSubmitted again)
            poller.send(OPEN_BATCHES, 2, fixed, "{\"type\":\"BatchSubmitted\", oops".getBytes(StandardCharsets.UTF_8));
            poller.send(OPEN_BATCHES, 2, fixed, EventJson.writeBytes(ScriptedProviders.batch(fixed, run)));
            // and a readable entry an unreadable one of the same key replaced (as compaction will leave it: alone)
            poller.send(OPEN_BATCHES, 2, broken, EventJson.writeBytes(ScriptedProviders.batch(broken, run)));
            poller.send(OPEN_BATCHES, 2, broken, new byte[0]);

            // when the poller restores its partitions
            poller.restoreAll();

            // then the replaced one is polled and not named
            assertThat(poller.batches.pollable()).extracting(BatchSubmitted::batchId).contains(fixed)
                    .doesNotContain(broken);
            String unreadable = String.valueOf(poller.check.call().getData().map(d -> d.get("unreadable"))
                    .orElse(null));
            assertThat(unreadable).doesNotContain(fixed);
            // and the one whose latest record cannot be read is named, with its problem, not polled as it was
            assertThat(unreadable).contains("partition 2 of apex.open-batches, key '" + broken + "'")
                    .contains("empty record");
        }
    }

    /** A poller's intake and open batches, built by hand on the test's broker, in a group of its own. */
    private static final class Poller implements AutoCloseable {
        final OpenBatches batches = new OpenBatches(new SimpleMeterRegistry());
        final OpenBatchesCheck check = new OpenBatchesCheck(batches);
        final BatchIntake intake;
        private final String group = "poller-" + UUID.randomUUID();
        private final TransactionalPublisher publisher;
        private final KafkaProducer<String, byte[]> producer;

        Poller() {
            String servers = kafka.bootstrapServers();
            PollerConfig config = new Config(servers, group);
            publisher = new TransactionalPublisher(servers, config.transactionalId(), Duration.ofSeconds(30));
            intake = new BatchIntake(config, publisher, batches, new SimpleMeterRegistry());
            Map<String, Object> settings = KafkaSettings.producer(servers);
            settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(settings);
            // every partition of apex.batches has a committed offset for the group (its end): restored from
            // apex.open-batches, not migrated from history
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (int p = 0; p < Topics.BATCHES.partitions(); p++) {
                offsets.put(new TopicPartition(Topics.BATCHES.name(), p), new OffsetAndMetadata(end(p)));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not commit the offsets of " + group, e);
            }
        }

        private long end(int partition) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                return admin.listOffsets(Map.of(new TopicPartition(Topics.BATCHES.name(), partition),
                                org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
                        .values().iterator().next().offset();
            } catch (Exception e) {
                throw new IllegalStateException("could not read the end of apex.batches-" + partition, e);
            }
        }

        /** Polls the group (on the test's thread, as the poller's one) until every partition it owns is restored. */
        void restoreAll() {
            await().atMost(Duration.ofSeconds(90)).pollInSameThread().until(() -> {
                intake.step(Duration.ofMillis(100));
                return batches.ready();
            });
        }

        /** Writes a record as it is (a null value: a tombstone) to a partition of a topic. */
        void send(String topic, int partition, String key, byte[] value) {
            try {
                producer.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not write to " + topic + "-" + partition, e);
            }
        }

        @Override
        public void close() {
            try {
                intake.close();
            } finally {
                producer.close();
                publisher.close();
            }
        }
    }

    private record Config(String bootstrapServers, String groupId) implements PollerConfig {
        @Override
        public String transactionalId() {
            return groupId + "-tx";
        }

        @Override
        public Duration maxRound() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration kafkaMaxBlock() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration minInterval() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration maxInterval() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration tick() {
            return Duration.ofMillis(200);
        }
    }
}
