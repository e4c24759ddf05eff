package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.TopicSpec;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Publishes the dispatcher's events (intents, submissions, settlements, results, dead letters) in Kafka
 * transactions: what belongs together (a sync result and the settlement of its intent) becomes visible
 * together or not at all, and {@link #publish} returns only once it is committed (acks=all, idempotent).
 */
@ApplicationScoped
public class TransactionalPublisher {
    private final KafkaProducer<String, String> producer;

    public TransactionalPublisher(DispatcherConfig config) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        producer.initTransactions();
    }

    /** One event to one topic, committed. */
    public void publish(TopicSpec topic, ApexEvent event) {
        publish(List.of(new Addressed(topic, event)));
    }

    /** Several events, committed atomically. */
    public synchronized void publish(List<Addressed> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            for (Addressed a : events) {
                producer.send(new ProducerRecord<>(a.topic().name(), a.event().key(), EventJson.write(a.event())));
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

    void close(@Observes ShutdownEvent ignored) {
        producer.close(Duration.ofSeconds(5));
    }

    /** An event and the topic it goes to. */
    public record Addressed(TopicSpec topic, ApexEvent event) {
    }
}
