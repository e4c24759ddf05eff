package io.apexaudition.poller.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventIds;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.poller.PollerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The batches to poll, kept durably by deriving them from the topics: every {@code BatchSubmitted} of
 * {@code apex.batches} without a terminal {@code BatchStatusChanged} on {@code apex.batch-status}. Read from the
 * first offset at start (committed records only) and tailed afterwards, so a restart resumes every open batch.
 */
@ApplicationScoped
public class OpenBatches {
    private static final Logger LOG = Logger.getLogger(OpenBatches.class);

    private final PollerConfig config;
    private final TransactionalPublisher publisher;
    private final Map<String, BatchSubmitted> open = new ConcurrentHashMap<>();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, String> consumer;

    public OpenBatches(PollerConfig config, TransactionalPublisher publisher) {
        this.config = config;
        this.publisher = publisher;
    }

    void start(@Observes StartupEvent ignored) {
        Thread thread = new Thread(this::tail, "open-batches");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void tail() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024 + 1024,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.BATCHES.name(), Topics.BATCH_STATUS.name())) {
                    c.partitionsFor(topic, Duration.ofMinutes(5))
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                while (running) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                        apply(r);
                    }
                    if (!caughtUp && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        caughtUp = true;
                        LOG.infof("Resuming %d open batch(es) from the topics", open.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Reading the batch topics failed (%s); retrying in 2 s", e.getMessage());
                sleep(2000);
            }
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        ApexEvent event;
        try {
            event = EventJson.read(r.value());
        } catch (EventJson.UnreadableEventException e) {
            LOG.warnf("Unreadable record %s-%d@%d parked in apex.dead-letters: %s", r.topic(), r.partition(),
                    r.offset(), e.getMessage());
            // the id is the record's position, so re-reading the topic after a restart parks it only once
            publisher.publish(Topics.DEAD_LETTERS, new DeadLettered(EventIds.nameUuid(r.topic(),
                    Integer.toString(r.partition()), Long.toString(r.offset())), DeadLettered.SCHEMA_VERSION,
                    Instant.ofEpochMilli(r.timestamp()), "poller-service", r.topic(), r.partition(), r.offset(), r.key(),
                    e.getMessage(), EventJson.echo(r.value())));
            return;
        }
        if (event instanceof BatchSubmitted b && !closed.contains(b.batchId())) {
            open.putIfAbsent(b.batchId(), b);
        } else if (event instanceof BatchStatusChanged s && s.terminal()) {
            close(s.batchId());
        }
    }

    /** A batch whose results and terminal status were committed. */
    public void close(String batchId) {
        closed.add(batchId);
        open.remove(batchId);
    }

    public List<BatchSubmitted> open() {
        return List.copyOf(open.values());
    }

    /** Whether the topics have been read up to where they were at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
