package io.apexaudition.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** One provider's batch and synchronous API, as the dispatcher and the poller use it. */
public interface ProviderClient {

    String provider();

    /**
     * Submits one batch. Retries only where the provider cannot have accepted it (a 429); throws
     * {@link BatchCreateInDoubtException} when the create got no clear answer (the batch may exist: only the
     * listing can tell), and {@link ProviderCallException} when the provider refused it.
     */
    SubmittedBatch submitBatch(String intentId, String runId, Instant intendedAt, List<BatchLine> lines,
                               Set<String> claimedBatchIds);

    /**
     * Whether {@link #findByIntent} recognises a batch by a tag it carries (true), or only by its request count and
     * creation time (false): then a listing is trusted only once every batch created so far can be in it.
     */
    default boolean matchesExactly() {
        return true;
    }

    /**
     * The batch this intent became, if the listing shows it (reconciliation); throws {@link ProviderCallException}
     * when the listing cannot be read. An empty answer means "not in the listing yet", not "never created".
     */
    Optional<SubmittedBatch> findByIntent(String intentId, Instant intendedAt, int requestCount,
                                          Set<String> claimedBatchIds);

    /** One synchronous call with bounded retries; provider errors come back as an ERROR outcome. */
    GenerationOutcome call(ObjectNode body);

    /**
     * One synchronous call as {@link #call(ObjectNode)}, handing what each answer says about the provider's rate
     * limits (headers, {@code retry-after}, throttles) to {@code limits}; a client that cannot read them says nothing.
     */
    default GenerationOutcome call(ObjectNode body, Consumer<RateLimitSignal> limits) {
        return call(body);
    }

    BatchState getBatch(String batchId);

    /**
     * Hands every result line of a terminal batch to {@code sink} as it is read, never holding a results file whole
     * (it can be far larger than the heap). A line that cannot be read arrives without a custom id, its outcome
     * saying why, and reading goes on. Throws {@link ProviderCallException} when the download fails after its retries
     * or breaks part-way; lines already handed to {@code sink} must then be discarded, and the results read again.
     */
    void results(BatchState state, Consumer<ResultLine> sink);

}
