package io.apexaudition.providers;

import java.util.Map;

/**
 * A batch as the provider reports it. {@code terminal}: it will not change again and its results can be read;
 * {@code failedValidation}: it was refused as a whole and has no results at all.
 */
public record BatchState(String batchId, String status, boolean terminal, boolean failedValidation,
                         Map<String, Integer> counts, String message, String outputFileId, String errorFileId) {
}
