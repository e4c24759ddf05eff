package io.apexaudition.planner.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.planner.PlannerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import io.apexaudition.messaging.KafkaSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Produces LaneRegistered to {@code apex.lanes} and PromptIngested to {@code apex.prompts}: the planner is
 * the single writer of both. acks=all and idempotence; each send waits for the broker's acknowledgement.
 */
@ApplicationScoped
public class CatalogPublisher {
    private final KafkaProducer<String, String> producer;

    public CatalogPublisher(PlannerConfig config) {
        Map<String, Object> settings = KafkaSettings.producer(config.bootstrapServers());
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "apex-planner-catalog");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        this.producer = new KafkaProducer<>(settings);
    }

    public void publish(String topic, ApexEvent event) {
        publishAll(topic, List.of(event));
    }

    /**
     * Sends every event, then waits until the broker has acknowledged each: one round trip for a whole
     * ingestion instead of one per prompt. The producer is idempotent, so they land in the order sent.
     */
    public void publishAll(String topic, List<? extends ApexEvent> events) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        for (ApexEvent event : events) {
            sent.add(producer.send(new ProducerRecord<>(topic, event.key(), EventJson.write(event))));
        }
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing to " + topic, e);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge " + events.get(i).getClass().getSimpleName()
                        + " on " + topic + ": " + e.getMessage(), e);
            }
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
