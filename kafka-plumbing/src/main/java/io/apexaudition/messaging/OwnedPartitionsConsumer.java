package io.apexaudition.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service instance's own member of a consumer group whose partitions are what the instance owns: the dispatchers'
 * request partitions and the pollers' partitions of {@code apex.batches} (architecture.md, "Dispatcher state",
 * "Poller state"). It holds what the two share: the {@link KafkaConsumer} (settings from {@link KafkaSettings}, static
 * membership under the instance's transactional id, cooperative-sticky), the rebalance listener that pauses every
 * assigned partition until its state is restored and drops that state on revoke or loss, the restore of each pending
 * partition from its stable committed offset, the group's metadata as of the last poll (what fences the owner's
 * transactions), the client's metrics, and a close that leaves the group. What a partition's state is, and what is
 * done with the records, is the {@link Owner}'s. Used by one thread (a Kafka consumer is not thread-safe), except
 * {@link #groupMetadata()}, {@link #pending()} and {@link #allRestored()}, which any thread may read.
 *
 * <p>Money rule: no record of a partition is handed out before its owner restored the partition's state from what
 * Kafka committed, and the offset a partition resumes from is the one its restore gives, never the offset reset
 * policy's; a member whose partition went elsewhere has every transaction fenced with its stale metadata refused
 * (KIP-447), and the new owner reads the committed offset, and so restores, only once those are settled.
 */
public final class OwnedPartitionsConsumer<V> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OwnedPartitionsConsumer.class);
    /** How long reading the committed offsets of the partitions to restore may take. */
    public static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(2);

    /** What the service keeps per owned partition: restored before its first record, dropped when it goes. */
    public interface Owner {
        /** The group gave these partitions (possibly none): paused until {@link #restore} gave their offsets. */
        default void assigned(Set<Integer> partitions) {
        }

        /** The partitions were revoked or lost: everything held for them is dropped, they are another's now. */
        void dropped(Set<Integer> partitions);

        /**
         * Restores the state of these partitions, given their stable committed offsets (a value is null where the
         * group has none), and answers where each is to resume. A partition left out of the answer stays paused
         * (its state cannot be read: the owner says why) until it is assigned or restored again.
         */
        Map<TopicPartition, Long> restore(Map<TopicPartition, OffsetAndMetadata> committed);

        /** After every poll: the partitions its restore resumed (possibly none); nothing is pending any more. */
        default void restored(Set<TopicPartition> resumed) {
        }
    }

    /**
     * Who the member is and what it reads.
     *
     * @param role            what one instance is called in the logs ("dispatcher", "poller")
     * @param restores        what a restore reads, in the logs ("dispatch state", "open batches")
     * @param holds           what an instance holds per partition, in the logs ("lane groups", "open batches")
     * @param maxPollInterval how long the owner may work between two polls before the group takes its partitions
     * @param overrides       further consumer settings of this member
     */
    public record Membership(String role, String restores, String holds, String bootstrapServers, String groupId,
                             String transactionalId, String topic, Duration maxPollInterval,
                             Map<String, Object> overrides) {
    }

    private final Membership membership;
    private final Deserializer<V> values;
    private final Owner owner;
    private final TransactionalPublisher publisher;
    private final MeterRegistry meters;
    private volatile KafkaConsumer<String, V> consumer;
    /** The consumer's own metrics (its lag above all) in /q/metrics, like the SmallRye channels' clients. */
    private KafkaClientMetrics consumerMetrics;
    /** Partitions assigned and paused until restored. */
    private final Set<TopicPartition> pending = ConcurrentHashMap.newKeySet();
    /** The group assigned this instance its partitions (possibly none) at least once. */
    private volatile boolean assignedOnce;
    /** The group metadata as of the last poll: what every transaction of the owner's round is fenced with. */
    private volatile ConsumerGroupMetadata groupMetadata;

    /**
     * @param publisher the owner's transactional producer: renewed before the consumer joins the group
     * @param values    decodes each record's value in the consumer's thread (a null value reaches it as null)
     */
    public OwnedPartitionsConsumer(Membership membership, Deserializer<V> values, Owner owner,
                                   TransactionalPublisher publisher, MeterRegistry meters) {
        this.membership = membership;
        this.values = values;
        this.owner = owner;
        this.publisher = publisher;
        this.meters = meters;
    }

    /**
     * One poll of the group (which may assign, revoke or lose partitions), then the restore of every partition pending
     * since; the records returned are of partitions restored before this poll. Joins the group on the first call.
     * Throws when Kafka fails: the caller waits, {@link #restoreAgain restores again} and calls again.
     */
    public ConsumerRecords<String, V> poll(Duration timeout) {
        if (consumer == null) {
            join();
        }
        ConsumerRecords<String, V> records = consumer.poll(timeout);
        groupMetadata = consumer.groupMetadata();
        restorePending();
        return records;
    }

    private void join() {
        // the producer first: its initTransactions settles what this instance's previous life left open (same
        // transactional id), which the restore would otherwise wait for until the transaction timed out
        publisher.recover();
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), values);
        // built here, not by SmallRye, so Quarkus's Kafka binder does not see it: bound by hand
        consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(meters);
        consumer.subscribe(List.of(membership.topic()), new Rebalance());
    }

    /** Ends a poll under way (or the next one) with a {@code WakeupException}: the one call any thread may make. */
    public void wakeup() {
        KafkaConsumer<String, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Whether the member has joined the group (it polled at least once and is not closed). */
    public boolean joined() {
        return consumer != null;
    }

    /** The group metadata as of the last poll, or null before the first: any thread may fence with it. */
    public ConsumerGroupMetadata groupMetadata() {
        return groupMetadata;
    }

    /** Partitions assigned and not restored yet. */
    public Set<TopicPartition> pending() {
        return Set.copyOf(pending);
    }

    /** The group assigned this instance its partitions (possibly none), and none is waiting for its restore. */
    public boolean allRestored() {
        return assignedOnce && pending.isEmpty();
    }

    /** The partitions owned now. */
    public Set<TopicPartition> assignment() {
        return consumer == null ? Set.of() : consumer.assignment();
    }

    /**
     * Pauses every owned partition until it is restored again, at the next poll (after a transaction that failed or
     * may have committed: what Kafka holds is the truth). Answers their numbers, for the owner to drop what it holds
     * of them; none before the member joined.
     */
    public Set<Integer> restoreAgain() {
        if (consumer == null) {
            return Set.of();
        }
        Set<TopicPartition> owned = consumer.assignment();
        consumer.pause(owned);
        pending.addAll(owned);
        return partitions(owned);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // paused until restored: a record of the partition must not be handed out before its state is read
            consumer.pause(assigned);
            pending.addAll(assigned);
            // after the partitions are pending, so that readiness never sees an assignment without them
            assignedOnce = true;
            owner.assigned(partitions(assigned));
            if (!assigned.isEmpty()) {
                LOG.infof("Assigned %s: restoring their %s", assigned, membership.restores());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            drop(revoked);
            if (!revoked.isEmpty()) {
                LOG.infof("Revoked %s: their %s are another %s's now", revoked, membership.holds(),
                        membership.role());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            drop(lost);
            LOG.warnf("Lost %s (this %s left the group): their %s are another %s's now", lost, membership.role(),
                    membership.holds(), membership.role());
        }

        private void drop(Collection<TopicPartition> gone) {
            pending.removeAll(gone);
            owner.dropped(partitions(gone));
        }
    }

    /**
     * Reads each pending partition's committed offset (waiting until no transaction that carries one is open:
     * KIP-447), has the owner restore their state, then seeks each to where the owner says and resumes it.
     */
    private void restorePending() {
        Set<TopicPartition> restoring = Set.copyOf(pending);
        Set<TopicPartition> resumed = Set.of();
        if (!restoring.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(consumer.committed(restoring,
                    RESTORE_TIMEOUT));
            restoring.forEach(tp -> committed.putIfAbsent(tp, null));
            Map<TopicPartition, Long> starts = owner.restore(committed);
            resumed = new HashSet<>();
            for (Map.Entry<TopicPartition, Long> start : starts.entrySet()) {
                if (restoring.contains(start.getKey())) {
                    consumer.seek(start.getKey(), start.getValue());
                    resumed.add(start.getKey());
                }
            }
            consumer.resume(resumed);
            pending.removeAll(restoring);
        }
        owner.restored(resumed);
    }

    /** Leaves the group, so the other instances take this one's partitions at once. */
    @Override
    public void close() {
        if (consumer != null) {
            try {
                // a static member stays in the group on close unless told to leave (KIP-1092): leaving hands its
                // partitions over at once when this instance shuts down cleanly (a Kubernetes pod's id changes)
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                LOG.debugf("closing the %s's consumer of %s: %s", membership.role(), membership.topic(),
                        e.getMessage());
            }
            consumer = null;
        }
        if (consumerMetrics != null) {
            consumerMetrics.close();
            consumerMetrics = null;
        }
    }

    public static Set<Integer> partitions(Collection<TopicPartition> tps) {
        Set<Integer> partitions = new HashSet<>();
        tps.forEach(tp -> partitions.add(tp.partition()));
        return partitions;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> settings = KafkaSettings.consumer(membership.bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, membership.groupId());
        // static membership (KIP-345) under the instance's own transactional id: a restarted instance is given its
        // partitions back at once, instead of the group waiting out its predecessor's session; one that never comes
        // back is replaced after the session timeout
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, membership.transactionalId());
        // named after the instance, so its metrics (client_id) tell the members of a group apart
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, membership.transactionalId() + "-intake");
        // an instance that died hands its partitions over after 10 s instead of the default 45 (as the other
        // services' groups do); a restart keeps them without a rebalance when it is back within that time
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        // keeps the partitions a member has through a rebalance: an instance joining moves only what it takes
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // never what decides where reading starts: every partition is sought to the offset its restore gives
        // (committed, or derived / migrated from history once) before it is resumed
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, membership.maxPollInterval().toMillis()));
        settings.putAll(membership.overrides());
        return settings;
    }
}
