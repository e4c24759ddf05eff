package io.apexaudition.providers;

/**
 * One result of a finished batch, by custom id. {@code customId} is null for a line that names no request (one that
 * could not be read, or has no custom id): its outcome says what was wrong with it.
 */
public record ResultLine(String customId, GenerationOutcome outcome) {
}
