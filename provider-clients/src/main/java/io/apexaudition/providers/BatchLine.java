package io.apexaudition.providers;

import java.util.function.Supplier;

/**
 * One request of a batch: its custom id and its body (the synchronous body; wrapped per provider) as UTF-8 JSON, so a
 * batch of thousands is not parsed, written or encoded once more to be sent. The body is written when the client
 * reaches the line ({@code body}), so a client that writes its upload line by line never holds the batch's bodies
 * together.
 */
public record BatchLine(String customId, Supplier<byte[]> body) {

    /** The body's UTF-8 JSON (written again at each call: a client may ask twice, to count and to fill). */
    public byte[] bodyUtf8() {
        return body.get();
    }
}
