package io.apexaudition.dispatcher.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.Usage;
import io.apexaudition.providers.BatchCreateInDoubtException;
import io.apexaudition.providers.BatchLine;
import io.apexaudition.providers.BatchState;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ListedBatch;
import io.apexaudition.providers.ProviderCallException;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.ResultLine;
import io.apexaudition.providers.SubmittedBatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A provider whose batch creates, listing and calls a test scripts: a create that succeeds but answers 500, one
 * that fails before creating anything, a listing that lags or fails, a crash (a {@link Crash}) at a chosen moment.
 * Its {@link #batches} are the ledger: what was created, and so billed.
 */
public final class FakeProvider implements ProviderClient {
    /** What the next create does. */
    enum Create { OK, CREATED_BUT_500, CREATED_BUT_UNREADABLE, NOT_CREATED_500, CREATED_THEN_CRASH, CRASH_BEFORE_CREATE }

    /** A batch the provider created. */
    public record Created(String batchId, String intentId, int requests, Instant createdAt) {
    }

    /** The process dies here: nothing after this point runs (the tests' SIGKILL). */
    static final class Crash extends Error {
        Crash() {
            super("simulated kill -9");
        }
    }

    private final String provider;
    private final boolean exact;
    final Deque<Create> creates = new ConcurrentLinkedDeque<>();
    public final List<Created> batches = new CopyOnWriteArrayList<>();
    /** Every batch line a create was sent, as sent. */
    final List<BatchLine> sentLines = new CopyOnWriteArrayList<>();
    final AtomicInteger createCalls = new AtomicInteger();
    public final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger failingListings = new AtomicInteger();
    volatile boolean listingDown;
    volatile Duration listingLag = Duration.ZERO;
    volatile boolean crashOnCall;
    /** Sees every synchronous call's body as it is sent. */
    public volatile Consumer<ObjectNode> onCall = body -> { };
    /** Sees the intent id of every listing asked for, before it is answered. */
    volatile Consumer<String> onListing = intentId -> { };
    /** How long a create takes before it is carried out and answered (a slow upload, a long read). */
    volatile Duration createTakes = Duration.ZERO;
    /**
     * When set, a create that made its batch waits for it before answering: its dispatcher is then between the create
     * and the record, the batch listed and claimed by no one.
     */
    volatile CountDownLatch answerOnlyAfter;

    public FakeProvider(String provider, boolean exact) {
        this.provider = provider;
        this.exact = exact;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public boolean matchesExactly() {
        return exact;
    }

    @Override
    public SubmittedBatch submitBatch(String intentId, String runId, Instant intendedAt, List<BatchLine> lines,
                                      Set<String> claimedBatchIds) {
        createCalls.incrementAndGet();
        Create create = Optional.ofNullable(creates.poll()).orElse(Create.OK);
        try {
            Thread.sleep(createTakes.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (create == Create.CRASH_BEFORE_CREATE) {
            throw new Crash();
        }
        sentLines.addAll(lines);
        if (create == Create.NOT_CREATED_500) {
            throw new BatchCreateInDoubtException(500, "internal server error");
        }
        Created batch = new Created("batch-" + batches.size() + "-" + intentId.hashCode(), intentId, lines.size(),
                Instant.now());
        batches.add(batch);
        CountDownLatch hold = answerOnlyAfter;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (create == Create.CREATED_BUT_500) {
            throw new BatchCreateInDoubtException(500, "internal server error");
        }
        if (create == Create.CREATED_THEN_CRASH) {
            throw new Crash();
        }
        if (create == Create.CREATED_BUT_UNREADABLE) {
            // neither a refusal nor a create in doubt: a failure the client did not foresee (a reply it cannot read)
            throw new IllegalStateException("unexpected reply");
        }
        return new SubmittedBatch(batch.batchId(), null);
    }

    @Override
    public List<ListedBatch> candidates(String intentId, Instant intendedAt, int requestCount) {
        onListing.accept(intentId);
        if (listingDown || failingListings.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ProviderCallException(503, ErrorKind.SERVER, "listing unavailable");
        }
        Instant visibleBefore = Instant.now().minus(listingLag);
        return batches.stream()
                .filter(b -> !b.createdAt().isAfter(visibleBefore))
                .filter(b -> exact ? b.intentId().equals(intentId) : b.requests() == requestCount
                        && !b.createdAt().isBefore(intendedAt.minus(CLOCK_SKEW)))
                .sorted(Comparator.comparing(Created::createdAt))
                .map(b -> new ListedBatch(b.batchId(), null, b.createdAt()))
                .toList();
    }

    @Override
    public GenerationOutcome call(ObjectNode body) {
        calls.incrementAndGet();
        onCall.accept(body);
        if (crashOnCall) {
            throw new Crash();
        }
        return GenerationOutcome.completed("A poem", "stop", new Usage(10, 0, 0, 20, 0));
    }

    @Override
    public BatchState getBatch(String batchId) {
        throw new UnsupportedOperationException("the dispatcher never polls");
    }

    @Override
    public void results(BatchState state, Consumer<ResultLine> sink) {
        throw new UnsupportedOperationException("the dispatcher never reads results");
    }
}
