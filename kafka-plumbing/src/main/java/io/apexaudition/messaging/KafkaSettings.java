package io.apexaudition.messaging;

import io.apexaudition.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings every Apex producer and consumer is built with, stated once. Each caller adds only what is its own
 * (serializers, a transactional id, timeouts a person waits on); a caller may not weaken these, and
 * {@code KafkaSettingsTest} fails when a producer or consumer is built anywhere without them. The planner's Kafka
 * Streams clients take the same values from its application.properties, checked by the same test.
 */
public final class KafkaSettings {
    /** Every event producer compresses with lz4: the requests of a lane share one 8.7 KB context. */
    public static final String COMPRESSION = "lz4";

    private KafkaSettings() {
    }

    /**
     * acks=all and idempotence (stated, never left to a client default: SmallRye's acks=1 would turn idempotence
     * off), lz4, batches big enough for ~10 KB events, records up to {@link Topics#MAX_MESSAGE_BYTES}, at most
     * twice that held in batch buffers.
     */
    public static Map<String, Object> producer(String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // events are ~10 KB (a request body each): the default 16 KB batch would send them one by one
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
        // a judging command carries its texts, a batch's submission its ids: above the 1 MB default
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        // the producer keeps every batch buffer it ever needed at once, up to this, for good: one transaction of
        // thousands of request bodies left the 32 MB default held in a dispatcher of 128 MB. Twice the largest
        // record (which must fit). The planner's Streams producer holds one (8 MB): its records are references
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.MAX_MESSAGE_BYTES);
        return settings;
    }

    /** {@link #producer} with a transactional id: a new producer with the same id fences every earlier one. */
    public static Map<String, Object> transactionalProducer(String bootstrapServers, String transactionalId) {
        Map<String, Object> settings = producer(bootstrapServers);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return settings;
    }

    /**
     * read_committed (aborted transactions are never seen), no auto commit, and fetch limits for topics that hold
     * request bodies: the limits count compressed bytes, and a poll decompresses to about ten times that.
     */
    public static Map<String, Object> consumer(String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        return settings;
    }
}
