package io.apexaudition.events;

/** One request line of a provider batch: which generation it is, and the body exactly as sent. */
public record BatchEntry(
        String customId,
        String generationId,
        int attempt,
        String conditionId,
        String conditionSlug,
        String promptId,
        String requestBody) {
}
