package io.apexaudition.providers;

import java.util.function.Supplier;

/**
 * One request of a batch: its custom id and its body (the synchronous body; wrapped per provider) as JSON, so a batch
 * of thousands is not parsed and written once more to be sent. The body is written when the client reaches the line
 * ({@code body}), so a client that writes its upload line by line never holds the batch's bodies together.
 */
public record BatchLine(String customId, Supplier<String> body) {

    /** A line whose body is already written. */
    public BatchLine(String customId, String bodyJson) {
        this(customId, () -> bodyJson);
    }

    /** The body's JSON (written again at each call when the line was given a writer rather than the text). */
    public String bodyJson() {
        return body.get();
    }
}
