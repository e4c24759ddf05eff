package io.apexaudition.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.TopicSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Publishes a service's events in Kafka transactions: what belongs together (a sync result and the settlement
 * of its intent; a batch's results and its terminal status) becomes visible together or not at all, and
 * {@link #publish} returns only once it is committed (acks=all, idempotent). Services create one per instance
 * with a transactional id that is stable across restarts, so a restarted instance fences off its dead
 * predecessor's unfinished transaction.
 */
public class TransactionalPublisher implements AutoCloseable {
    private final KafkaProducer<String, String> producer;

    public TransactionalPublisher(String bootstrapServers, String transactionalId) {
        producer = new KafkaProducer<>(producerConfig(bootstrapServers, transactionalId));
        producer.initTransactions();
    }

    /** acks=all, idempotence and a transactional id: stated here, never left to a client default. */
    static Map<String, Object> producerConfig(String bootstrapServers, String transactionalId) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // events are ~10 KB (a request body each): the default 16 KB batch would send them one by one
                ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    }

    /** One event to one topic, committed. */
    public void publish(TopicSpec topic, ApexEvent event) {
        publish(List.of(new Addressed(topic, event)));
    }

    /** Several events, committed atomically. */
    public void publish(List<Addressed> events) {
        publish(events, null);
    }

    /**
     * Several events, committed atomically; {@code chaosPoint} names a crash-test kill point between the sends and
     * the commit (see {@link io.apexaudition.core.Chaos}), the worst moment for a process to die.
     */
    public synchronized void publish(List<Addressed> events, String chaosPoint) {
        if (events.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            for (Addressed a : events) {
                producer.send(new ProducerRecord<>(a.topic().name(), a.event().key(), EventJson.write(a.event())));
            }
            if (chaosPoint != null) {
                producer.flush();
                io.apexaudition.core.Chaos.haltIf(chaosPoint);
            }
            producer.commitTransaction();
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // a fenced or broken producer cannot abort; the failure below says what happened
            }
            throw new IllegalStateException("Kafka did not commit " + events.size() + " event(s): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** An event and the topic it goes to. */
    public record Addressed(TopicSpec topic, ApexEvent event) {
    }
}
