package io.apexaudition.cli;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
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
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000,
                // a judging command carries its texts: up to Topics.MAX_COMMAND_BYTES, above the 1 MB default
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
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
