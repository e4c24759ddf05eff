package io.apexaudition.messaging;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads partitions from their first offset to where they end now (committed records only), outside any consumer
 * group, and stops: how the poller and the dispatchers restore the state of the partitions they were given, and
 * how they read the old topics once when they migrate a stack that predates their state topics.
 */
public final class PartitionReader {
    private PartitionReader() {
    }

    /** Hands every committed record of {@code partitions} up to their current end to {@code handler}, in order. */
    public static void readToEnd(String bootstrapServers, Collection<TopicPartition> partitions, Duration timeout,
                                 Consumer<ConsumerRecord<String, byte[]>> handler) {
        Map<TopicPartition, Long> fromFirst = new java.util.HashMap<>();
        partitions.forEach(tp -> fromFirst.put(tp, null));
        readFrom(bootstrapServers, fromFirst, timeout, handler);
    }

    /**
     * Hands every committed record of each partition from its given offset (null: its first) up to its current end to
     * {@code handler}, in order.
     */
    public static void readFrom(String bootstrapServers, Map<TopicPartition, Long> from, Duration timeout,
                                Consumer<ConsumerRecord<String, byte[]>> handler) {
        if (from.isEmpty()) {
            return;
        }
        Map<String, Object> settings = KafkaSettings.consumer(bootstrapServers);
        // a BatchSubmitted written before claim checks carries every request body: few per poll keep memory small
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings)) {
            List<TopicPartition> assigned = List.copyOf(from.keySet());
            c.assign(assigned);
            c.seekToBeginning(assigned);
            from.forEach((tp, offset) -> {
                if (offset != null) {
                    c.seek(tp, offset);
                }
            });
            // read_committed: the end is the last stable offset, so an open transaction is waited out, never read
            Map<TopicPartition, Long> end = c.endOffsets(assigned, timeout);
            while (!reached(c, end)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaUnavailableException("reading " + from.keySet() + " to their end took more than "
                            + timeout.toSeconds() + " s: is Kafka reachable?", null);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        handler.accept(r);
                    }
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }
}
