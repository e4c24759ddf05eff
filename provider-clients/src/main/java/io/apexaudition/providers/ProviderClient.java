package io.apexaudition.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
     * How far a provider's clock ({@code created_at}) and a dispatcher's ({@code occurredAt}) may disagree: a batch
     * matched by count is looked for from its intent's time less this, and a batch created more than this before
     * an intent was written cannot be that intent's.
     */
    Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /**
     * Whether {@link #candidates} recognises a batch by a tag it carries (true), or only by its request count and
     * creation time (false): then a listing is trusted only once every batch created so far can be in it, and the
     * caller must tell the candidates apart (claimed by other intents, or ambiguous).
     */
    default boolean matchesExactly() {
        return true;
    }

    /**
     * The batches the listing shows that may be this intent's, oldest first (reconciliation): the one tagged with the
     * intent when {@link #matchesExactly()}, else every batch of {@code requestCount} requests created from
     * {@code intendedAt} less {@link #CLOCK_SKEW} on, whoever created it (the caller leaves out those other intents
     * claimed). Throws {@link ProviderCallException} when the listing cannot be read that far back. An empty answer
     * means "not in the listing yet", not "never created".
     */
    List<ListedBatch> candidates(String intentId, Instant intendedAt, int requestCount);

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
