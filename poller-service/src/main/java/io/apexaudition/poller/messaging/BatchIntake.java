package io.apexaudition.poller.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.OwnedPartitionsConsumer;
import io.apexaudition.messaging.PartitionReader;
import io.apexaudition.messaging.ParkedRecords;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import io.apexaudition.poller.PollerConfig;
import io.apexaudition.poller.domain.BatchRecordChecks;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    private static final Duration RESTORE_TIMEOUT = OwnedPartitionsConsumer.RESTORE_TIMEOUT;
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(30);

    private final PollerConfig config;
    private final TransactionalPublisher publisher;
    private final OpenBatches batches;
    private final MeterRegistry meters;
    /** The instance's member of the group: the partitions of apex.batches it owns, each restored before it is read. */
    private final OwnedPartitionsConsumer<byte[]> member;
    /**
     * The offset of each owned partition up to which its submissions are in apex.open-batches, committed: what a
     * results transaction commits. Not the consumer's position, which after a failed copy is past records not copied.
     */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private boolean firstRestoreLogged;

    public BatchIntake(PollerConfig config, TransactionalPublisher publisher, OpenBatches batches,
                       MeterRegistry meters) {
        this.config = config;
        this.publisher = publisher;
        this.batches = batches;
        this.meters = meters;
        this.member = new OwnedPartitionsConsumer<>(new OwnedPartitionsConsumer.Membership("poller", "open batches",
                "open batches", config.bootstrapServers(), config.groupId(), config.transactionalId(),
                Topics.BATCHES.name(),
                // a round polls providers and downloads results between two polls of the group: give it time
                config.maxRound(),
                // records from before claim checks carry every request body as sent: few per poll keep a poll's
                // memory small
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16)),
                new ByteArrayDeserializer(), new Partitions(), publisher, meters);
    }

    /**
     * One round: polls the group (which may assign or revoke partitions), restores what was assigned, and copies the
     * new submissions of the owned partitions. Throws when Kafka fails; the caller waits and calls again.
     */
    public void step(Duration pollTimeout) {
        // a partition the group assigns in this poll is restored before any record of it is read
        ConsumerRecords<String, byte[]> records = member.poll(pollTimeout);
        if (!records.isEmpty()) {
            copy(records);
        }
    }

    /**
     * Restores every owned partition again (after a transaction that failed or may have committed): what Kafka holds
     * is the truth, so the in-memory batches of those partitions are dropped and read anew before the next poll.
     */
    public void resync() {
        if (member.joined()) {
            batches.restoring(member.restoreAgain());
        }
    }

    /** The committed offset of the batch's partition with this member's group metadata: what fences a zombie. */
    public GroupPosition position(int partition) {
        TopicPartition tp = new TopicPartition(Topics.BATCHES.name(), partition);
        Long offset = committed.get(tp);
        if (offset == null || !member.joined()) {
            throw new IllegalStateException("partition " + tp + " is not owned by this poller (any more)");
        }
        return new GroupPosition(Map.of(tp, new OffsetAndMetadata(offset)), member.groupMetadata());
    }

    /** Leaves the group, so the other pollers take this one's partitions at once. */
    public void close() {
        member.close();
    }

    /** What this poller holds per partition of apex.batches: its open batches, and the offset they are copied to. */
    private final class Partitions implements OwnedPartitionsConsumer.Owner {
        @Override
        public void assigned(Set<Integer> partitions) {
            batches.restoring(partitions);
        }

        @Override
        public void dropped(Set<Integer> partitions) {
            committed.keySet().removeIf(tp -> partitions.contains(tp.partition()));
            batches.forget(partitions);
            batches.unassigned(partitions);
        }

        /**
         * Reads each partition's open batches from apex.open-batches and answers its committed offset. A partition
         * without a committed offset is migrated from the old topics first.
         */
        @Override
        public Map<TopicPartition, Long> restore(Map<TopicPartition, OffsetAndMetadata> offsets) {
            Set<TopicPartition> restoring = offsets.keySet();
            Set<TopicPartition> fresh = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
            Set<TopicPartition> known = new HashSet<>();
            restoring.forEach(tp -> (offsets.get(tp) == null ? fresh : known).add(tp));
            batches.forget(OwnedPartitionsConsumer.partitions(restoring));
            List<TopicPartition> state = known.stream()
                    .map(tp -> new TopicPartition(Topics.OPEN_BATCHES.name(), tp.partition())).toList();
            int[] restored = {0};
            PartitionReader.readToEnd(config.bootstrapServers(), state, RESTORE_TIMEOUT, r -> {
                // the latest record of a key decides, as compaction will: a tombstone or an entry that reads
                // replaces an unreadable one, and an unreadable one replaces what an earlier record held
                if (r.value() == null) {
                    batches.close(r.key());
                    batches.forgetUnreadable(r.partition(), r.key());
                } else {
                    Reading entry = stateEntry(r);
                    if (entry.batch() != null) {
                        batches.add(entry.batch(), r.partition());
                        restored[0]++;
                    } else {
                        batches.unreadable(r.partition(), r.key(), entry.problem());
                    }
                }
            });
            batches.unreadable(OwnedPartitionsConsumer.partitions(known)).forEach(u -> LOG.error(u));
            Map<TopicPartition, Long> starts = new HashMap<>();
            for (TopicPartition tp : known) {
                long offset = offsets.get(tp).offset();
                committed.put(tp, offset);
                starts.put(tp, offset);
            }
            if (!fresh.isEmpty()) {
                starts.putAll(migrate(fresh));
            }
            LOG.infof("open-batches restored %s from %s: %d entries read, %d batches open here now", known,
                    Topics.OPEN_BATCHES.name(), restored[0], batches.open().size());
            return starts;
        }

        @Override
        public void restored(Set<TopicPartition> resumed) {
            batches.restored(OwnedPartitionsConsumer.partitions(resumed));
            // the line the start-up bench (apex bench, history) waits for: the poller can work from here on
            if (!firstRestoreLogged && batches.ready()) {
                firstRestoreLogged = true;
                LOG.infof("open-batches has read its partitions %s: %d open batches", member.assignment(),
                        batches.open().size());
            }
        }
    }

    /**
     * Copies the open batches of partitions without a committed offset from the old topics into apex.open-batches,
     * committing the offset at the end of each partition in the same transaction: once for the life of the group.
     * Answers where each partition starts: its end.
     */
    private Map<TopicPartition, Long> migrate(Set<TopicPartition> fresh) {
        LegacyOpenBatches.Found found = LegacyOpenBatches.read(config.bootstrapServers(), fresh, MIGRATION_TIMEOUT);
        List<Placed> placed = new ArrayList<>();
        found.open().forEach(o -> placed.add(new Placed(Topics.OPEN_BATCHES, o.partition(), o.batch().batchId(),
                EventJson.writeBytes(o.batch()))));
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        found.ends().forEach((tp, end) -> ends.put(tp, new OffsetAndMetadata(end)));
        publisher.publishOwned(new GroupPosition(ends, member.groupMetadata()), placed,
                sink -> found.parked().forEach(sink), null);
        found.open().forEach(o -> batches.add(o.batch(), o.partition()));
        found.parked().forEach(p -> ParkedRecords.count(meters, "poller-service", Topics.BATCHES.name()));
        committed.putAll(found.ends());
        LOG.infof("Migrated %s from %s and %s (read once, from their first offset): %d batches still open",
                fresh, Topics.BATCHES.name(), Topics.BATCH_STATUS.name(), found.open().size());
        return found.ends();
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
            publisher.publishOwned(new GroupPosition(next, member.groupMetadata()), placed,
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
     * The batch an entry of apex.open-batches holds, or what is wrong with it when it holds none this poller can read
     * (not written by a poller, or by a newer one), with the fix. Never throws: thrown, it would fail every restore of
     * its partition, and the partition's other open batches would never be polled again. The entry is not polled but
     * not forgotten either: readiness names it ({@link OpenBatches#unreadable()}) until a later record of its key.
     */
    static Reading stateEntry(ConsumerRecord<String, byte[]> r) {
        String problem;
        try {
            ApexEvent event = EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class));
            if (event instanceof BatchSubmitted b) {
                return new Reading(b, null);
            }
            problem = "a " + event.getClass().getSimpleName() + ", not a BatchSubmitted";
        } catch (EventJson.UnreadableEventException e) {
            problem = e.getMessage();
        } catch (RuntimeException e) {
            problem = "unreadable (" + e + ")";
        }
        return new Reading(null, problem + " (offset " + r.offset() + "); this batch is not polled. Only pollers "
                + "write there: if a newer poller wrote it, run that version; if it stands for a real batch, write its "
                + "BatchSubmitted from apex.batches under its key in partition " + r.partition() + " of "
                + r.topic() + ", else delete it (a tombstone under its key in that partition); then restart this "
                + "poller");
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
                        + "it (the dispatchers write complete records); if it stands for a real batch, publish a "
                        + "complete BatchSubmitted of it to apex.batches under the same key, which the poller follows "
                        + "(`apex poll` only waits for what the poller records)");
            }
            return new Reading(event instanceof BatchSubmitted b ? b : null, null);
        } catch (EventJson.UnreadableEventException e) {
            return new Reading(null, e.getMessage());
        } catch (RuntimeException e) {
            return new Reading(null, "the poller could not follow it (" + e + "); fix the producer that wrote it");
        }
    }
}
