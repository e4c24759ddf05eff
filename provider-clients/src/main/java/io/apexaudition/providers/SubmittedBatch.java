package io.apexaudition.providers;

/** A batch the provider accepted. */
public record SubmittedBatch(String batchId, String inputFileId) {
}
