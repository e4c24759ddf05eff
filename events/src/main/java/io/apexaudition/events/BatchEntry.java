package io.apexaudition.events;

/**
 * One request line of a provider batch: which generation it is, and the request sent for it by its claim check
 * (the body itself is a {@link RequestBodyStored} under that hash, written before the batch was paid for).
 */
public record BatchEntry(
        String customId,
        String generationId,
        int attempt,
        String conditionId,
        String conditionSlug,
        String promptId,
        int promptVersion,
        String requestBodyHash) {
}
