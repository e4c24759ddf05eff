package io.apexaudition.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Publishes a service's events in Kafka transactions: what belongs together (a sync result and the settlement
 * of its intent; a batch's results and its terminal status) becomes visible together or not at all, and
 * {@link #publish} returns only once it is committed (acks=all, idempotent). Services create one per instance
 * with a transactional id that is stable across restarts, so a restarted instance fences off its dead
 * predecessor's unfinished transaction.
 *
 * <p>When Kafka fails a transaction (an outage longer than the producer's own retries), the producer is closed
 * and a new one is started with the same transactional id before the next publish. Its {@code initTransactions}
 * settles the failed transaction for good (completes a commit that had reached the coordinator, aborts anything
 * else), exactly as a restart of the service would; callers then re-read the topics before deciding again.
 */
public class TransactionalPublisher implements AutoCloseable {
    private final String bootstrapServers;
    private final String transactionalId;
    private final Duration maxBlock;
    private KafkaProducer<String, byte[]> producer;

    /** @param maxBlock how long a publish waits for the broker before it fails with {@link KafkaUnavailableException} */
    public TransactionalPublisher(String bootstrapServers, String transactionalId, Duration maxBlock) {
        this.bootstrapServers = bootstrapServers;
        this.transactionalId = transactionalId;
        this.maxBlock = maxBlock;
        producer = start();
    }

    private KafkaProducer<String, byte[]> start() {
        Map<String, Object> config = new java.util.HashMap<>(producerConfig(bootstrapServers, transactionalId));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(2 * maxBlock.toMillis(), 30_000));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(maxBlock.toMillis(), 30_000));
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(config);
        try {
            p.initTransactions();
            return p;
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            if (!KafkaUnavailableException.isOutage(e)) {
                throw e;
            }
            throw new KafkaUnavailableException("Kafka at " + bootstrapServers + " did not start a transactional "
                    + "producer: " + e.getMessage() + "; check that the broker is up", e);
        }
    }

    /**
     * Makes sure the producer is usable, replacing one that a failed transaction left broken; once this returns,
     * every earlier transaction of this publisher is settled (committed or aborted) on the broker.
     */
    public synchronized void recover() {
        if (producer == null) {
            producer = start();
        }
    }

    /** {@link KafkaSettings#transactionalProducer}, with this publisher's serializers. */
    static Map<String, Object> producerConfig(String bootstrapServers, String transactionalId) {
        Map<String, Object> settings = KafkaSettings.transactionalProducer(bootstrapServers, transactionalId);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings;
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
    public void publish(List<Addressed> events, String chaosPoint) {
        if (events.isEmpty()) {
            return;
        }
        publishStreamed(sink -> events.forEach(sink), chaosPoint);
    }

    /**
     * Events sent as they are produced, committed atomically: {@code source} is handed a sink and gives it every
     * event in turn (a batch's results as they are parsed from the download, say), so they never need to be held
     * together. If {@code source} throws, the transaction is aborted and its exception rethrown unchanged: nothing it
     * sent becomes visible. Kafka's own failures are thrown as {@link #publish(List, String)} throws them.
     *
     * @return how many events were committed
     */
    public synchronized long publishStreamed(Consumer<Consumer<Addressed>> source, String chaosPoint) {
        return publishOwned(null, List.of(), source, chaosPoint);
    }

    /**
     * {@link #publishStreamed}, committed together with a consumer group's position and with records placed by the
     * caller (a partition and key of its choosing; a null value is a tombstone). The position is sent first: when
     * the group has moved on since {@code position}'s generation (the partition went to another member), the broker
     * refuses it and the whole transaction is aborted, so a member that lost its partitions cannot commit anything
     * for them (KIP-447). A member that takes a partition over reads its committed offset only once every
     * transaction that carried an offset for it is settled (read_committed consumers ask for stable offsets).
     *
     * @param position the group position to commit, or null for none
     * @return how many events were committed (the placed records not counted)
     */
    public synchronized long publishOwned(GroupPosition position, List<Placed> placed,
                                          Consumer<Consumer<Addressed>> source, String chaosPoint) {
        recover();
        long[] handed = {0};
        kafkaStep(() -> producer.beginTransaction(), handed);
        if (position != null) {
            kafkaStep(() -> producer.sendOffsetsToTransaction(position.offsets(), position.group()), handed);
        }
        for (Placed p : placed) {
            kafkaStep(() -> producer.send(new ProducerRecord<>(p.topic().name(), p.partition(), p.key(), p.value())),
                    handed);
        }
        try {
            source.accept(a -> {
                handed[0]++;
                kafkaStep(() -> producer.send(new ProducerRecord<>(a.topic().name(), a.event().key(),
                        a.json() != null ? a.json() : EventJson.writeBytes(a.event()))), handed);
            });
        } catch (RuntimeException | Error e) {
            abortQuietly();
            throw e;
        }
        kafkaStep(() -> {
            if (chaosPoint != null) {
                producer.flush();
                io.apexaudition.core.Chaos.haltIf(chaosPoint);
            }
            producer.commitTransaction();
        }, handed);
        return handed[0];
    }

    /** One step of a transaction; when Kafka fails it, the producer is dropped and the failure explained. */
    private void kafkaStep(Runnable step, long[] handed) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // whatever state the transaction is in, a new producer with the same id settles it (see the class doc)
            producer.close(Duration.ZERO);
            producer = null;
            if (KafkaUnavailableException.isOutage(e)) {
                throw new KafkaUnavailableException("Kafka did not commit " + handed[0] + " event(s): "
                        + e.getMessage() + "; retrying after the broker answers again", e);
            }
            if (lostPartitions(e)) {
                throw new PartitionsLostException("Kafka refused " + handed[0] + " event(s): this instance's consumer "
                        + "group generation is stale (its partitions went to another member), so nothing of the "
                        + "transaction is committed: " + e.getMessage(), e);
            }
            throw new IllegalStateException("Kafka refused " + handed[0] + " event(s) for good: " + e.getMessage()
                    + (e instanceof KafkaException ? "; check that no other instance uses transactional id "
                    + transactionalId + " and the broker's limits" : ""), e);
        }
    }

    private static boolean lostPartitions(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.clients.consumer.CommitFailedException
                    || t instanceof org.apache.kafka.common.errors.FencedInstanceIdException
                    || t instanceof org.apache.kafka.common.errors.IllegalGenerationException
                    || t instanceof org.apache.kafka.common.errors.UnknownMemberIdException
                    || t instanceof org.apache.kafka.common.errors.RebalanceInProgressException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A transaction carrying a {@link GroupPosition} was refused because the group moved on: the caller no longer
     * owns (some of) those partitions and must drop what it holds for them. Nothing of the transaction is visible.
     */
    public static class PartitionsLostException extends IllegalStateException {
        public PartitionsLostException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Ends a transaction whose source failed; a producer that cannot abort is dropped (its successor aborts it). */
    private void abortQuietly() {
        if (producer == null) {
            return; // a failed send dropped it already
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * An event and the topic it goes to; {@code json}, when not null, is the event as {@link EventJson} writes it,
     * written already by a caller that had its bulk at hand in that form (a stored body), and sent as it is.
     */
    public record Addressed(TopicSpec topic, ApexEvent event, byte[] json) {
        public Addressed(TopicSpec topic, ApexEvent event) {
            this(topic, event, null);
        }
    }

    /** A record in a partition of the caller's choosing; a null value deletes the key (a compacted topic). */
    public record Placed(TopicSpec topic, int partition, String key, byte[] value) {
    }

    /** A consumer group member's offsets to commit and its group metadata (generation), which fences it. */
    public record GroupPosition(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    }
}
