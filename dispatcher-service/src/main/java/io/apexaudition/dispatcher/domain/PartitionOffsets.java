package io.apexaudition.dispatcher.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One owned request partition's bookkeeping for bounded dispatcher state (architecture.md, "Dispatcher state"):
 * which offset a transaction may commit for the partition, and which lane groups'
 * state entries that offset lets go. Lane groups of a partition interleave, so a finished group's records can lie
 * above the offset an unfinished group holds back; such a group's entry must outlive its dispatch, because a
 * redelivery from that offset brings those records back and only the entry says they were seen through. Money
 * rule: an entry is let go only once the offset committed with its tombstone is past every record of its group,
 * so no record that can be delivered again belongs to a group whose entry is gone, and the offset never moves back.
 * One per partition; the lanes' threads commit and end their dispatches side by side, so each call holds its lock.
 */
public final class PartitionOffsets {
    /** First and last offset of each group not yet let go, and whether its dispatch ended. */
    private final Map<String, Span> groups = new HashMap<>();
    /** The offset after the last record read. */
    private long position;
    /** The offset last committed: where the partition was resumed, then what each transaction that let go committed. */
    private long committed;

    private static final class Span {
        long first;
        long last;
        boolean done;

        Span(long offset) {
            first = offset;
            last = offset;
        }
    }

    /** @param position where the partition is resumed: its committed offset */
    public PartitionOffsets(long position) {
        this.position = position;
        this.committed = position;
    }

    /** A record that joins a lane group: the group holds the offset back from its first record until it is done. */
    public synchronized void arrived(String groupKey, long offset) {
        read(offset);
        Span span = groups.get(groupKey);
        if (span == null) {
            groups.put(groupKey, new Span(offset));
        } else {
            // a redelivered record of a kept group, or a later retry under the same (run, lane, attempt)
            span.first = Math.min(span.first, offset);
            span.last = Math.max(span.last, offset);
            span.done = false;
        }
    }

    /** A kept entry read back by a restore: its group is done, and its last record is at or above the position. */
    public synchronized void restored(String groupKey, long lastOffset) {
        Span span = new Span(lastOffset);
        span.done = true;
        groups.put(groupKey, span);
    }

    /** A record that joins no group (parked, or refused): it holds nothing back. */
    public synchronized void read(long offset) {
        position = Math.max(position, offset + 1);
    }

    /** The group's dispatch ended: every request it holds is submitted or settled. */
    public synchronized void done(String groupKey) {
        Span span = groups.get(groupKey);
        if (span == null) {
            throw new IllegalStateException("lane group " + groupKey + " has no record in this partition");
        }
        span.done = true;
    }

    /**
     * The offset to commit now: the first record of the oldest group still gathering or under way, else the end read;
     * never below the offset committed already. A kept group that a later record joins again (a retry under its key)
     * spans records the committed offset passed, and committing its first again would move the offset back below
     * records of groups whose entries went: those records would come back with nothing saying they were seen through.
     */
    public synchronized long committable() {
        long offset = position;
        for (Span span : groups.values()) {
            if (!span.done) {
                offset = Math.min(offset, span.first);
            }
        }
        return Math.max(offset, committed);
    }

    /**
     * The groups whose entries go (tombstones) in the transaction that commits {@code committed}: done, and with
     * every record below it. Nothing is forgotten until {@link #letGo} says the transaction committed.
     */
    public synchronized List<String> passedBy(long committed) {
        List<String> passed = new ArrayList<>();
        groups.forEach((key, span) -> {
            if (span.done && span.last < committed) {
                passed.add(key);
            }
        });
        return passed;
    }

    /**
     * {@link #passedBy}, forgotten here: call it once the transaction holding their tombstones committed. Worked out
     * again rather than taken from the transaction: no group can become passed in between (one not done when the
     * offset was chosen has a record at or above it: its first, or the later record that joined it again), and one
     * a later record joined again in between must stay, holding the offset back for that record, though its tombstone
     * went (its dispatch's next commit writes it again). The intake reads no record while a lane's transaction is
     * under way today, so that case does not arise; the rule holds if it ever does.
     */
    public synchronized List<String> letGo(long committed) {
        List<String> gone = passedBy(committed);
        gone.forEach(groups::remove);
        this.committed = committed;
        return gone;
    }

    /** The offset last committed ({@link #letGo}), or where the partition was resumed: whether the offset moved. */
    public synchronized long committed() {
        return committed;
    }

    /** The offset of the group's last record read or restored here, or -1 when none is. */
    public synchronized long last(String groupKey) {
        Span span = groups.get(groupKey);
        return span == null ? -1 : span.last;
    }

    /** Groups whose entries are kept: what a restore of this partition would read back. */
    public synchronized int kept() {
        return groups.size();
    }
}
