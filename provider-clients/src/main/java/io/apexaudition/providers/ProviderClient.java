package io.apexaudition.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One provider's batch and synchronous API, as the dispatcher and the poller use it. */
public interface ProviderClient {

    String provider();

    /**
     * Submits one batch. Retries only where the provider cannot have accepted it (or after checking its
     * listing that it did not); throws {@link ProviderCallException} when it fails for good.
     */
    SubmittedBatch submitBatch(String intentId, String runId, Instant intendedAt, List<BatchLine> lines,
                               Set<String> claimedBatchIds);

    /** The batch this intent became, if the provider has it (reconciliation after a crash). */
    Optional<SubmittedBatch> findByIntent(String intentId, Instant intendedAt, int requestCount,
                                          Set<String> claimedBatchIds);

    /** One synchronous call with bounded retries; provider errors come back as an ERROR outcome. */
    GenerationOutcome call(ObjectNode body);

    BatchState getBatch(String batchId);

    /** Every result line of a terminal batch. */
    List<ResultLine> results(BatchState state);

}
