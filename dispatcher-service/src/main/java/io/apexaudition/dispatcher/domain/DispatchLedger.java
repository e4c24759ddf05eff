package io.apexaudition.dispatcher.domain;

import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a dispatcher knows of the intents of the lane groups it owns, and how it commits what it does to them
 * (architecture.md, "Dispatcher state"). Money rule: {@link #commit} is the only way anything reaches Kafka during a
 * dispatch, and it commits the events together with the state entries they change and the group offset of their
 * request partitions, fenced by the consumer group: an instance whose partition went elsewhere commits nothing, so it
 * can write no intent and therefore make no paid call there.
 */
public interface DispatchLedger {

    /** The intent a request's custom id belongs to (the newest naming it), if one was written. */
    Optional<DispatchIntended> intentOf(String customId);

    /** An intent of an owned lane group, by id. */
    Optional<DispatchIntended> intent(String intentId);

    Optional<DispatchSettled> settlement(String intentId);

    boolean isSubmitted(String intentId);

    /** Every batch intent of the owned lane groups with neither a submission nor a settlement, oldest first. */
    List<DispatchIntended> inDoubtBatchIntents();

    /**
     * Batch ids already matched to an intent, among the batches recorded since {@code since}: never adopted again by a
     * reconciliation matched by count. A lookup bounded by the in-doubt window, not by history.
     */
    Set<String> claimedBatchIds(Instant since);

    /**
     * Commits {@code events} in one transaction with the state entries of the lane groups they change (and of the
     * group being dispatched) and the offsets of their partitions; in memory only once committed.
     */
    default void commit(List<Addressed> events) {
        commit(events, java.util.Collections::emptyIterator);
    }

    /**
     * {@link #commit(List)}, with more events that change no entry (request bodies) handed out one at a time as the
     * transaction is written, so thousands are never held together; {@code streamed} gives a fresh pass each time
     * it is asked (a transaction tried again asks again).
     */
    void commit(List<Addressed> events, java.util.function.Supplier<java.util.Iterator<Addressed>> streamed);
}
