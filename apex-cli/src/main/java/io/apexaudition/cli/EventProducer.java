package io.apexaudition.cli;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import io.apexaudition.messaging.KafkaSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes events and waits for the broker's acknowledgement (acks=all, idempotent); records up to the topics' limit
 * ({@link Topics#MAX_MESSAGE_BYTES}).
 */
public final class EventProducer implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String servers;

    public EventProducer(String servers) {
        this.servers = servers;
        Map<String, Object> settings = KafkaSettings.producer(servers);
        // a person waits on these: a broker that does not answer is said within seconds
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        this.producer = new KafkaProducer<>(settings);
    }

    public void publish(String topic, ApexEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.key(), EventJson.write(event))).get(45, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic + " on " + servers + " ("
                    + e.getMessage() + "): is the stack up? Run './apex up', or set KAFKA_BOOTSTRAP_SERVERS", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
