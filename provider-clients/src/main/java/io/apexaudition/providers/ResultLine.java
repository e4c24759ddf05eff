package io.apexaudition.providers;

/** One result of a finished batch, by custom id. */
public record ResultLine(String customId, GenerationOutcome outcome) {
}
