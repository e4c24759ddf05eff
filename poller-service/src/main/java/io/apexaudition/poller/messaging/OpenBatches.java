package io.apexaudition.poller.messaging;

import io.apexaudition.events.BatchSubmitted;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open batches this poller instance owns: those of the {@code apex.batches} partitions the consumer group gave
 * it ({@link BatchIntake}), each restored from the same partition of the compacted {@code apex.open-batches} and
 * added as the intake copies new submissions there. Holds what is open, never what was closed: a closed batch is
 * gone from here and, by its tombstone, from the topic. Produces the gauge {@value #OPEN_GAUGE} (open batches by
 * provider and the provider's last non-terminal status seen by this instance).
 */
@ApplicationScoped
public class OpenBatches {
    /** Prometheus: apex_batches_open. */
    static final String OPEN_GAUGE = "apex.batches.open";
    /** The state of an open batch before the provider reported any status (to this instance). */
    private static final String SUBMITTED = "submitted";

    /** An open batch and the partition (of apex.batches and apex.open-batches) that makes it this instance's. */
    public record Open(BatchSubmitted batch, int partition) {
    }

    private final Map<String, Open> open = new ConcurrentHashMap<>();
    /** The last non-terminal status of each open batch that has one. */
    private final Map<String, String> states = new ConcurrentHashMap<>();
    /** Partitions assigned and not yet restored. */
    private final Set<Integer> restoring = ConcurrentHashMap.newKeySet();
    /**
     * Per owned partition, the entries of apex.open-batches whose latest record this poller cannot read, each with
     * what is wrong: not polled, but named by readiness until a later record of the key (its tombstone, or an entry
     * that reads) is restored.
     */
    private final Map<Integer, Map<String, String>> unreadable = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private volatile boolean assignedOnce;

    public OpenBatches(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The group assigned these partitions: they are not ready until {@link #restored} says so. */
    void restoring(Collection<Integer> partitions) {
        assignedOnce = true;
        restoring.addAll(partitions);
    }

    /** These partitions' open batches are all here (restored, or migrated). */
    void restored(Collection<Integer> partitions) {
        restoring.removeAll(partitions);
    }

    /** A batch of an owned partition is open (restored, or just copied by the intake). */
    void add(BatchSubmitted batch, int partition) {
        forgetUnreadable(partition, batch.batchId());
        open.put(batch.batchId(), new Open(batch, partition));
        gauge(batch.provider(), states.getOrDefault(batch.batchId(), SUBMITTED));
    }

    /** A batch whose results, terminal status and tombstone were committed. */
    public void close(String batchId) {
        open.remove(batchId);
        states.remove(batchId);
    }

    /**
     * The latest record of an entry of an owned partition cannot be read (restore): whatever an earlier record of the
     * key held is not polled, as after compaction, and the entry is named by readiness until a later record replaces it.
     */
    void unreadable(int partition, String key, String problem) {
        if (key != null) {
            open.remove(key);
            states.remove(key);
        }
        unreadable.computeIfAbsent(partition, p -> new ConcurrentHashMap<>()).put(String.valueOf(key), problem);
    }

    /** A later record of the key (a tombstone, or an entry that reads) replaced an unreadable one. */
    void forgetUnreadable(int partition, String key) {
        Map<String, String> entries = unreadable.get(partition);
        if (entries != null && key != null) {
            entries.remove(key);
        }
    }

    /** Every unreadable entry of an owned partition, as readiness names it: partition, key, problem and fix. */
    public List<String> unreadable() {
        return unreadable(unreadable.keySet());
    }

    /** The unreadable entries of these partitions, as {@link #unreadable()} names them. */
    List<String> unreadable(Collection<Integer> partitions) {
        return unreadable.entrySet().stream().filter(p -> partitions.contains(p.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .flatMap(p -> p.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> "partition " + p.getKey() + " of apex.open-batches, key '" + e.getKey() + "': "
                                + e.getValue()))
                .toList();
    }

    /** The partitions went to another instance: nothing is restored for them here any more. */
    void unassigned(Collection<Integer> partitions) {
        restoring.removeAll(partitions);
    }

    /** The partitions went to another instance (or are restored again): their batches are not this one's now. */
    void forget(Collection<Integer> partitions) {
        partitions.forEach(unreadable::remove);
        open.values().removeIf(o -> {
            boolean gone = partitions.contains(o.partition());
            if (gone) {
                states.remove(o.batch().batchId());
            }
            return gone;
        });
    }

    /** The provider's latest non-terminal status of an open batch, for the gauge. */
    public void status(String batchId, String provider, String status) {
        if (open.containsKey(batchId)) {
            states.put(batchId, status);
            gauge(provider, status);
        }
    }

    public List<BatchSubmitted> open() {
        return open.values().stream().map(Open::batch).toList();
    }

    /**
     * The open batches that may be polled now: not those of a partition being restored, whose state in memory may
     * be behind Kafka (a results transaction that failed may have committed their tombstone).
     */
    public List<BatchSubmitted> pollable() {
        return open.values().stream().filter(o -> !restoring.contains(o.partition())).map(Open::batch).toList();
    }

    /** The partition that makes the batch this instance's, while it is open here. */
    public Optional<Integer> partitionOf(String batchId) {
        return Optional.ofNullable(open.get(batchId)).map(Open::partition);
    }

    /** The group assigned this instance its partitions (possibly none) and every one of them is restored. */
    public boolean ready() {
        return assignedOnce && restoring.isEmpty();
    }

    /** Partitions still being restored, for the readiness check. */
    public Set<Integer> restoring() {
        return Set.copyOf(restoring);
    }

    /**
     * Registers the gauge of one provider and state (once: Micrometer returns the one it has), read at every scrape.
     * States are the providers' own few words, so the series stay few; one whose batches all moved on reads 0.
     */
    private void gauge(String provider, String state) {
        Gauge.builder(OPEN_GAUGE, this, batches -> batches.count(provider, state))
                .description("Open batches (submitted, no terminal status yet) by provider and last status")
                .tags("provider", provider, "state", state).register(meters);
    }

    private double count(String provider, String state) {
        return open.values().stream().filter(o -> provider.equals(o.batch().provider())
                && state.equals(states.getOrDefault(o.batch().batchId(), SUBMITTED))).count();
    }
}
