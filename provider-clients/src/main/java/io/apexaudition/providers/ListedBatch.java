package io.apexaudition.providers;

import java.time.Instant;

/** A batch the provider's listing shows, with when the provider says it was created (reconciliation). */
public record ListedBatch(String batchId, String inputFileId, Instant createdAt) {

    public SubmittedBatch submitted() {
        return new SubmittedBatch(batchId, inputFileId);
    }
}
