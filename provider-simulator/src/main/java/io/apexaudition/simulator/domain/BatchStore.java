package io.apexaudition.simulator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What both providers' batch endpoints keep alike: batches by id in the order they were created, found or refused
 * with the provider's own 404, listed newest first once the listing shows them (its lag is a fault setting), and
 * walked oldest first, each under its own lock, to deliver what has ended. The providers differ only in what a batch
 * holds and how it is rendered: {@link OpenAiBatches}, {@link AnthropicBatches}.
 */
final class BatchStore<B extends BatchStore.Stored> {

    /** What every stored batch has: its id, its place in creation order and its timeline. */
    abstract static class Stored {
        final String id;
        /** Creation order: listings page by it, deliveries follow it. */
        final long sequence;
        final Timeline timeline;

        Stored(String id, long sequence, Timeline timeline) {
            this.id = id;
            this.sequence = sequence;
            this.timeline = timeline;
        }

        long sequence() {
            return sequence;
        }
    }

    private static final Comparator<Stored> OLDEST_FIRST = Comparator.comparingLong(Stored::sequence);

    private final Map<String, B> batches = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Function<String, RuntimeException> notFound;

    /** @param notFound the provider's refusal of an unknown id (a 404 in its own error shape) */
    BatchStore(Function<String, RuntimeException> notFound) {
        this.notFound = notFound;
    }

    /** The creation order of the next batch. */
    long nextSequence() {
        return sequence.incrementAndGet();
    }

    void add(B batch) {
        batches.put(batch.id, batch);
    }

    /** The batch with this id, or the provider's 404. */
    B find(String id) {
        B batch = id == null ? null : batches.get(id);
        if (batch == null) {
            throw notFound.apply(id);
        }
        return batch;
    }

    /** Every batch the listing shows at {@code now} (created at least {@code lag} ago), newest first. */
    List<B> listedNewestFirst(Instant now, Duration lag) {
        return batches.values().stream().filter(b -> b.timeline.listedAt(now, lag))
                .sorted(OLDEST_FIRST.reversed()).toList();
    }

    /** Every batch, oldest first. */
    List<B> oldestFirst() {
        return batches.values().stream().sorted(OLDEST_FIRST).toList();
    }

    /** Hands every batch, oldest first, to {@code action} while holding that batch's lock. */
    void forEachLocked(Consumer<B> action) {
        for (B batch : oldestFirst()) {
            synchronized (batch) {
                action.accept(batch);
            }
        }
    }

    Stream<B> stream() {
        return batches.values().stream();
    }

    void clear() {
        batches.clear();
    }
}
