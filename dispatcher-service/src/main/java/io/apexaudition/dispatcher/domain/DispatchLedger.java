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
     * The batch intents of this provider open in any dispatcher's entries, whichever instance owns their lane groups,
     * and the batch ids those entries record: every partition of the dispatch state read to its end as of now
     * (committed transactions only). Asked only for a match by count (Anthropic), after the listing was read: a batch
     * the listing showed was created after its intent committed, so that intent is here (open) or its batch is
     * recorded. Throws {@link LaneGroupState.UnreadableStateException} while an entry cannot be read (an open intent
     * could hide in it).
     */
    ProviderWide providerWide();

    /** What {@link #providerWide()} reads: intents with neither a submission nor a settlement, and recorded batches. */
    record ProviderWide(List<DispatchIntended> openBatchIntents, Set<String> recordedBatchIds) {
        public ProviderWide {
            openBatchIntents = List.copyOf(openBatchIntents);
            recordedBatchIds = Set.copyOf(recordedBatchIds);
        }
    }

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
     * it is asked (a transaction tried again asks again), possibly on another caller's thread (a transaction shared
     * by lane groups dispatched side by side), so it must not depend on the thread it runs on.
     */
    void commit(List<Addressed> events, java.util.function.Supplier<java.util.Iterator<Addressed>> streamed);
}
