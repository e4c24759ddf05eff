package io.apexaudition.poller.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaSettings;
import io.apexaudition.messaging.PartitionReader;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open batches of a stack from before {@code apex.open-batches}, found the way the poller used to find them:
 * every {@code BatchSubmitted} of the given {@code apex.batches} partitions without a terminal
 * {@code BatchStatusChanged} anywhere in {@code apex.batch-status}, both read from their first offset. Costs the
 * history, but only once per partition for the life of the consumer group: {@link BatchIntake} runs it for a
 * partition without a committed offset and commits one (the end read here) together with what it found. Terminal
 * statuses are written only by the poller, and the old poller must be stopped before the first new one starts (the
 * deployment replaces it, Recreate), so nothing closes a batch of these partitions while they are read.
 */
final class LegacyOpenBatches {
    private LegacyOpenBatches() {
    }

    /**
     * What was found: the batches still open, the end offset of each partition read (what to commit), and the
     * records the poller cannot follow, parked as the intake parks them (by position: once, should the old poller
     * have parked them already).
     */
    record Found(List<OpenBatches.Open> open, Map<TopicPartition, Long> ends,
                 List<io.apexaudition.messaging.TransactionalPublisher.Addressed> parked) {
    }

    static Found read(String bootstrapServers, Set<TopicPartition> fresh, Duration timeout) {
        // the ends first: a batch submitted after them is copied by the intake, never here as well
        Map<TopicPartition, Long> ends = ends(bootstrapServers, fresh);
        Set<String> closed = new HashSet<>();
        PartitionReader.readToEnd(bootstrapServers, partitionsOf(bootstrapServers, Topics.BATCH_STATUS.name()),
                timeout, r -> {
                    if (event(r.value()) instanceof BatchStatusChanged s && s.terminal() && s.batchId() != null) {
                        closed.add(s.batchId());
                    }
                });
        Map<String, OpenBatches.Open> open = new LinkedHashMap<>();
        List<io.apexaudition.messaging.TransactionalPublisher.Addressed> parked = new ArrayList<>();
        PartitionReader.readToEnd(bootstrapServers, fresh, timeout, r -> {
            if (r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()))) {
                return;
            }
            BatchIntake.Reading reading = BatchIntake.read(r);
            if (reading.problem() != null) {
                parked.add(BatchIntake.parked(r, reading.problem()));
            } else if (reading.batch() != null && !closed.contains(reading.batch().batchId())) {
                open.putIfAbsent(reading.batch().batchId(), new OpenBatches.Open(reading.batch(), r.partition()));
            }
        });
        return new Found(new ArrayList<>(open.values()), ends, parked);
    }

    /** The event, or null for a record the poller cannot read (the intake parked it when it was new). */
    private static ApexEvent event(byte[] value) {
        try {
            return value == null ? null : EventJson.read(value, EnumSet.allOf(EventJson.Skip.class));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<TopicPartition, Long> ends(String bootstrapServers, Set<TopicPartition> partitions) {
        try (KafkaConsumer<String, byte[]> c = probe(bootstrapServers)) {
            return c.endOffsets(partitions, Duration.ofSeconds(60));
        }
    }

    private static List<TopicPartition> partitionsOf(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> c = probe(bootstrapServers)) {
            return c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
        }
    }

    private static KafkaConsumer<String, byte[]> probe(String bootstrapServers) {
        Map<String, Object> settings = KafkaSettings.consumer(bootstrapServers);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
