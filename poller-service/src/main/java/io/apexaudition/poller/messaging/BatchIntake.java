package io.apexaudition.poller.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaSettings;
import io.apexaudition.messaging.PartitionReader;
import io.apexaudition.messaging.ParkedRecords;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import io.apexaudition.poller.PollerConfig;
import io.apexaudition.poller.domain.BatchRecordChecks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The poller as a member of the consumer group {@code apex.poller.group-id} on {@code apex.batches}: the partitions
 * the group gives this instance are the batches it owns. For each assigned partition it restores the open batches
 * from the same partition of the compacted {@code apex.open-batches} (bounded by what is open, not by history), then
 * copies each new {@code BatchSubmitted} there (ids and body hashes: bodies live in apex.request-bodies) in a transaction that also commits the
 * group's offset, so each submission is copied exactly once. A partition that has no committed offset yet (a stack
 * from before {@code apex.open-batches}) is migrated once by {@link LegacyOpenBatches}.
 *
 * <p>Every transaction that writes for a partition commits the group offset of that partition with this member's
 * group metadata: once the partition went to another member, the broker refuses it and nothing of it is committed
 * (KIP-447), and the new owner reads its offset (and so restores) only after every such transaction is settled.
 * Used by the polling thread only (a Kafka consumer is not thread-safe).
 */
@ApplicationScoped
public class BatchIntake {
    private static final Logger LOG = Logger.getLogger(BatchIntake.class);
    /** How long a restore (or a migration's read of the old topics) may take before it is tried again. */
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(30);

    private final PollerConfig config;
    private final TransactionalPublisher publisher;
    private final OpenBatches batches;
    private final MeterRegistry meters;
    private KafkaConsumer<String, byte[]> consumer;
    /** The group consumer's own metrics (its lag on apex.batches above all) in /q/metrics, like the channels' clients. */
    private KafkaClientMetrics consumerMetrics;
    /** Partitions assigned and paused until restored. */
    private final Set<TopicPartition> pending = new HashSet<>();
    /** The offset of each owned partition up to which its submissions are in apex.open-batches, committed. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private boolean firstRestoreLogged;

    public BatchIntake(PollerConfig config, TransactionalPublisher publisher, OpenBatches batches,
                       MeterRegistry meters) {
        this.config = config;
        this.publisher = publisher;
        this.batches = batches;
        this.meters = meters;
    }

    /**
     * One round: polls the group (which may assign or revoke partitions), restores what was assigned, and copies the
     * new submissions of the owned partitions. Throws when Kafka fails; the caller waits and calls again.
     */
    public void step(Duration pollTimeout) {
        if (consumer == null) {
            // the producer first: its initTransactions aborts what this instance's previous life left open (same
            // transactional id), which the restore would otherwise wait for until the transaction timed out
            publisher.recover();
            consumer = new KafkaConsumer<>(consumerConfig());
            // built here, not by SmallRye, so Quarkus's Kafka binder does not see it: bound by hand
            consumerMetrics = new KafkaClientMetrics(consumer);
            consumerMetrics.bindTo(meters);
            consumer.subscribe(List.of(Topics.BATCHES.name()), new Rebalance());
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
        restorePending();
        if (!records.isEmpty()) {
            copy(records);
        }
    }

    /**
     * Restores every owned partition again (after a transaction that failed or may have committed): what Kafka holds
     * is the truth, so the in-memory batches of those partitions are dropped and read anew before the next poll.
     */
    public void resync() {
        if (consumer == null) {
            return;
        }
        Set<TopicPartition> owned = consumer.assignment();
        consumer.pause(owned);
        pending.addAll(owned);
        batches.restoring(partitions(owned));
    }

    /** The committed offset of the batch's partition with this member's group metadata: what fences a zombie. */
    public GroupPosition position(int partition) {
        TopicPartition tp = new TopicPartition(Topics.BATCHES.name(), partition);
        Long offset = committed.get(tp);
        if (offset == null || consumer == null) {
            throw new IllegalStateException("partition " + tp + " is not owned by this poller (any more)");
        }
        return new GroupPosition(Map.of(tp, new OffsetAndMetadata(offset)), consumer.groupMetadata());
    }

    /** Leaves the group, so the other pollers take this one's partitions at once. */
    public void close() {
        if (consumer != null) {
            // a static member stays in the group on close unless told to leave (KIP-1092): leaving hands its
            // partitions over at once when this instance shuts down cleanly (a Kubernetes pod's id changes)
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            consumer = null;
        }
        if (consumerMetrics != null) {
            consumerMetrics.close();
            consumerMetrics = null;
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // paused until restored: a record of the partition must not be copied before its state is read
            consumer.pause(assigned);
            pending.addAll(assigned);
            batches.restoring(partitions(assigned));
            if (!assigned.isEmpty()) {
                LOG.infof("Assigned %s: restoring their open batches", assigned);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            drop(revoked);
            if (!revoked.isEmpty()) {
                LOG.infof("Revoked %s: their open batches are another poller's now", revoked);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            drop(lost);
            LOG.warnf("Lost %s (this poller left the group): their open batches are another poller's now", lost);
        }

        private void drop(Collection<TopicPartition> gone) {
            pending.removeAll(gone);
            gone.forEach(committed::remove);
            batches.forget(partitions(gone));
            batches.unassigned(partitions(gone));
        }
    }

    /**
     * Reads each pending partition's committed offset (waiting until no transaction that carries one is open), then
     * its open batches from apex.open-batches, seeks there and resumes it. A partition without a committed offset is
     * migrated from the old topics first.
     */
    private void restorePending() {
        if (pending.isEmpty()) {
            logFirstRestore();
            return;
        }
        Set<TopicPartition> restoring = Set.copyOf(pending);
        Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(restoring, RESTORE_TIMEOUT);
        Set<TopicPartition> fresh = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        Set<TopicPartition> known = new HashSet<>();
        restoring.forEach(tp -> (offsets.get(tp) == null ? fresh : known).add(tp));
        batches.forget(partitions(restoring));
        List<TopicPartition> state = known.stream()
                .map(tp -> new TopicPartition(Topics.OPEN_BATCHES.name(), tp.partition())).toList();
        int[] restored = {0};
        PartitionReader.readToEnd(config.bootstrapServers(), state, RESTORE_TIMEOUT, r -> {
            if (r.value() == null) {
                batches.close(r.key());
            } else {
                BatchSubmitted b = stateEntry(r);
                if (b != null) {
                    batches.add(b, r.partition());
                    restored[0]++;
                }
            }
        });
        for (TopicPartition tp : known) {
            long offset = offsets.get(tp).offset();
            committed.put(tp, offset);
            consumer.seek(tp, offset);
        }
        if (!fresh.isEmpty()) {
            migrate(fresh);
        }
        consumer.resume(restoring);
        pending.removeAll(restoring);
        batches.restored(partitions(restoring));
        LOG.infof("open-batches restored %s from %s: %d entries read, %d batches open here now", known,
                Topics.OPEN_BATCHES.name(), restored[0], batches.open().size());
        logFirstRestore();
    }

    /** The line the start-up bench (apex bench, history) waits for: the poller can work from here on. */
    private void logFirstRestore() {
        if (!firstRestoreLogged && batches.ready()) {
            firstRestoreLogged = true;
            LOG.infof("open-batches has read its partitions %s: %d open batches", consumer.assignment(),
                    batches.open().size());
        }
    }

    /**
     * Copies the open batches of partitions without a committed offset from the old topics into apex.open-batches,
     * committing the offset at the end of each partition in the same transaction: once for the life of the group.
     */
    private void migrate(Set<TopicPartition> fresh) {
        LegacyOpenBatches.Found found = LegacyOpenBatches.read(config.bootstrapServers(), fresh, MIGRATION_TIMEOUT);
        List<Placed> placed = new ArrayList<>();
        found.open().forEach(o -> placed.add(new Placed(Topics.OPEN_BATCHES, o.partition(), o.batch().batchId(),
                EventJson.writeBytes(o.batch()))));
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        found.ends().forEach((tp, end) -> ends.put(tp, new OffsetAndMetadata(end)));
        publisher.publishOwned(new GroupPosition(ends, consumer.groupMetadata()), placed,
                sink -> found.parked().forEach(sink), null);
        found.open().forEach(o -> batches.add(o.batch(), o.partition()));
        found.parked().forEach(p -> ParkedRecords.count(meters, "poller-service", Topics.BATCHES.name()));
        found.ends().forEach((tp, end) -> {
            committed.put(tp, end);
            consumer.seek(tp, end);
        });
        LOG.infof("Migrated %s from %s and %s (read once, from their first offset): %d batches still open",
                fresh, Topics.BATCHES.name(), Topics.BATCH_STATUS.name(), found.open().size());
    }

    /**
     * Copies the polled submissions to apex.open-batches and parks what the poller cannot follow, committing the
     * group offsets in the same transaction; only then are the batches open here. When the transaction fails, the
     * owned partitions are restored again (it may have committed) and their records read again from the offset.
     */
    private void copy(ConsumerRecords<String, byte[]> records) {
        List<Placed> placed = new ArrayList<>();
        List<Addressed> parked = new ArrayList<>();
        List<OpenBatches.Open> opened = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            Reading reading = read(r);
            if (reading.batch() != null) {
                placed.add(new Placed(Topics.OPEN_BATCHES, r.partition(), reading.batch().batchId(),
                        EventJson.writeBytes(reading.batch())));
                opened.add(new OpenBatches.Open(reading.batch(), r.partition()));
            } else if (reading.problem() != null) {
                parked.add(parked(r, reading.problem()));
            }
        }
        try {
            publisher.publishOwned(new GroupPosition(next, consumer.groupMetadata()), placed,
                    sink -> parked.forEach(sink), null);
        } catch (RuntimeException e) {
            resync();
            throw e;
        }
        next.forEach((tp, o) -> committed.put(tp, o.offset()));
        opened.forEach(o -> batches.add(o.batch(), o.partition()));
        parked.forEach(p -> ParkedRecords.count(meters, "poller-service", Topics.BATCHES.name()));
    }

    /** The dead letter of a record the poller cannot follow (its id is the record's position: parked once). */
    static Addressed parked(ConsumerRecord<String, byte[]> r, String problem) {
        LOG.warnf("Record %s-%d@%d parked in apex.dead-letters: %s", r.topic(), r.partition(), r.offset(), problem);
        return new Addressed(Topics.DEAD_LETTERS, DeadLettered.parked("poller-service", r.topic(), r.partition(),
                r.offset(), r.key(), problem, EventJson.echo(r.value()), Instant.ofEpochMilli(r.timestamp())));
    }

    /**
     * The batch an entry of apex.open-batches holds, or null when it holds none this poller can read. An unreadable
     * entry (not written by a poller, or by a newer one) is skipped with a warning: thrown, it would fail every
     * restore of its partition, and the partition's other open batches would never be polled again.
     */
    static BatchSubmitted stateEntry(ConsumerRecord<String, byte[]> r) {
        try {
            return EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class)) instanceof BatchSubmitted b
                    ? b : null;
        } catch (EventJson.UnreadableEventException e) {
            LOG.warnf("Skipping an unreadable entry of %s (%d@%d, key %s): %s; only pollers write there: if it stands "
                    + "for a real batch, `apex poll --batch-id ID --provider P --auto-retrieve` records that batch's "
                    + "results", r.topic(), r.partition(), r.offset(), r.key(), e.getMessage());
            return null;
        }
    }

    /** A record of apex.batches: a batch to follow, a problem to park it for, or neither (another event). */
    record Reading(BatchSubmitted batch, String problem) {
    }

    /** Never throws for a record's sake: one the poller cannot use comes back with the reason to park it. */
    static Reading read(ConsumerRecord<String, byte[]> r) {
        try {
            // entries name their bodies by hash (claim checks), so a batch record is ids only; the shared contexts
            // of old records from before claim checks are skipped all the same
            ApexEvent event = EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class));
            List<String> problems = BatchRecordChecks.problems(event);
            if (!problems.isEmpty()) {
                return new Reading(null, "incomplete " + event.getClass().getSimpleName() + ": "
                        + String.join(", ", problems) + "; the poller cannot follow it. Fix the producer that wrote "
                        + "it (the dispatchers write complete records); if it stands for a real batch, `apex poll "
                        + "--batch-id ID --provider P --auto-retrieve` records that batch's results");
            }
            return new Reading(event instanceof BatchSubmitted b ? b : null, null);
        } catch (EventJson.UnreadableEventException e) {
            return new Reading(null, e.getMessage());
        } catch (RuntimeException e) {
            return new Reading(null, "the poller could not follow it (" + e + "); fix the producer that wrote it");
        }
    }

    private static Set<Integer> partitions(Collection<TopicPartition> tps) {
        Set<Integer> partitions = new HashSet<>();
        tps.forEach(tp -> partitions.add(tp.partition()));
        return partitions;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> settings = KafkaSettings.consumer(config.bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // static membership (KIP-345) under the instance's own transactional id: a restarted poller is given its
        // partitions back at once, instead of the group waiting out its predecessor's session (45 s); an instance
        // that never comes back is replaced after that session, as before
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId());
        // named after the instance, so its metrics (client_id) tell the pollers of a group apart
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-intake");
        // a poller that died hands its partitions over after 10 s instead of the default 45 (as the other services'
        // groups do); a restart keeps them without a rebalance when it is back within that time (static membership)
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        // keeps the partitions a member has through a rebalance: a second poller joining moves only what it takes
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // a fresh group starts at the first offset: the migration decides what of the history is still open
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a round polls providers and downloads results between two polls of the group: give it time
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) config.maxRound().toMillis());
        // records from before claim checks carry every request body as sent: few per poll keep a poll's memory small
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings;
    }
}
