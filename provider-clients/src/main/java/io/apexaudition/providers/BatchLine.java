package io.apexaudition.providers;

/**
 * One request of a batch: its custom id and its body (the synchronous body; wrapped per provider), already written
 * as JSON, so a batch of thousands is not parsed and written once more to be sent.
 */
public record BatchLine(String customId, String bodyJson) {
}
