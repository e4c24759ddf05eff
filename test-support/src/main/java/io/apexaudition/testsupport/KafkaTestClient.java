package io.apexaudition.testsupport;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Publishes and reads records on the real broker for tests, seeing only committed transactions. */
public final class KafkaTestClient implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024 + 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    public void publish(String topic, ApexEvent event) {
        publishRaw(topic, event.key(), EventJson.write(event));
    }

    public void publishRaw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish to " + topic, e);
        }
    }

    /** Every committed record of the topic, from the first offset, read until {@code done} holds or time runs out. */
    public List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<List<ConsumerRecord<String, String>>> done,
                                                          Duration timeout) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(all) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /**
     * Committed events of one kind on a topic that match a filter, read until {@code count} are found. A lane group's
     * record ({@link LaneGroupRequested}) counts as the {@link GenerationRequested}s it carries when those are asked
     * for, as the dispatchers and the recorder read it.
     */
    public <T extends ApexEvent> List<T> readEvents(String topic, Class<T> type, Predicate<T> filter, int count,
                                                    Duration timeout) {
        List<T> found = new ArrayList<>();
        readUntil(topic, records -> {
            found.clear();
            for (ConsumerRecord<String, String> r : records) {
                try {
                    ApexEvent read = EventJson.read(r.value());
                    List<? extends ApexEvent> events = read instanceof LaneGroupRequested part
                            && type == GenerationRequested.class ? part.requests() : List.of(read);
                    for (ApexEvent e : events) {
                        if (type.isInstance(e) && filter.test(type.cast(e))) {
                            found.add(type.cast(e));
                        }
                    }
                } catch (EventJson.UnreadableEventException ignored) {
                    // poison records are other tests' business
                }
            }
            return found.size() >= count;
        }, timeout);
        return List.copyOf(found);
    }

    /**
     * The whole bodies apex.request-bodies holds under the hashes {@code wanted} accepts, each with its long text put
     * back (a LongTextStored) and kept only when it hashes to its key: read until {@code count} are found.
     */
    public Map<String, String> wholeBodies(Predicate<String> wanted, int count, Duration timeout) {
        Map<String, String> found = new HashMap<>();
        readUntil(Topics.REQUEST_BODIES.name(), records -> {
            found.clear();
            Map<String, String> texts = new HashMap<>();
            List<RequestBodyStored> bodies = new ArrayList<>();
            for (ConsumerRecord<String, String> r : records) {
                try {
                    ApexEvent e = EventJson.read(r.value());
                    if (e instanceof LongTextStored t) {
                        texts.put(t.textHash(), t.escapedText());
                    } else if (e instanceof RequestBodyStored b && wanted.test(b.bodyHash())) {
                        bodies.add(b);
                    }
                } catch (EventJson.UnreadableEventException ignored) {
                    // poison records are other tests' business
                }
            }
            for (RequestBodyStored b : bodies) {
                if (b.isCut() && !texts.containsKey(b.textHash())) {
                    continue;
                }
                String whole = b.restored(texts.get(b.textHash()));
                if (RequestBodyStored.hashOf(whole).equals(b.bodyHash())) {
                    found.put(b.bodyHash(), whole);
                }
            }
            return found.size() >= count;
        }, timeout);
        return Map.copyOf(found);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
