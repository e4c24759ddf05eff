package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.RequestBodyStored;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * A request with its body's hash and the size bounds chunking needs: the body's UTF-8 bytes (the provider's
 * limits) and the bytes its entry adds to a {@link io.apexaudition.events.BatchSubmitted} (ids and hash, no body).
 * The body itself is not kept: a lane holds thousands of ~10 KB bodies, mostly one shared context that the requests
 * share as one instance, so each body is written again from its request when it is stored or sent ({@link #body}),
 * one at a time, and checked against the hash its entry names.
 */
record Prepared(GenerationRequested request, String bodyHash, long fingerprint, long utf8Bytes, long entryBytes) {
    static Prepared of(GenerationRequested r) {
        byte[] utf8 = bodyUtf8(r);
        String ids = r.customId() + r.generationId() + r.conditionId() + r.conditionSlug() + r.promptId();
        return new Prepared(r, RequestBodyStored.hashOfUtf8(utf8), fingerprint(utf8), utf8.length,
                utf8Bytes(ids) + escapes(ids) * 5 + 64 + 256L);
    }

    private static byte[] bodyUtf8(GenerationRequested r) {
        return RequestBodies.utf8(RequestBodies.body(r));
    }

    /**
     * The body, written again from the request: the same bytes each time (RequestBodies writes keys in a fixed
     * order; its golden tests hold it to that). Checked against the fingerprint taken from the very bytes the hash was
     * taken from: a body that came out different would be stored or sent under a claim check that does not name it,
     * so it is refused instead. A fingerprint, not the SHA-256 again: the check runs twice per body (stored, sent),
     * and two more SHA-256 of a ~10 KB body were the dispatcher's largest cost.
     */
    RequestBodies.Utf8Body body() {
        RequestBodies.Utf8Body body = RequestBodies.utf8Body(RequestBodies.body(request));
        if (fingerprint(body.bytes()) != fingerprint) {
            throw new IllegalStateException("the body of " + request.customId() + " came out different from the "
                    + "one its hash " + bodyHash + " names: not stored or sent under that claim check");
        }
        return body;
    }

    /** {@link #body}'s UTF-8, checked: what a batch upload copies. */
    byte[] utf8() {
        return body().bytes();
    }

    /** The length and the CRC-32C of a body's UTF-8 bytes: any accidental change shows (a miss is 1 in 2^32). */
    static long fingerprint(byte[] utf8) {
        CRC32C crc = new CRC32C();
        crc.update(utf8);
        return ((long) utf8.length << 32) | crc.getValue();
    }

    /** An upper bound: a char takes at most 3 UTF-8 bytes (a surrogate pair 4 for two chars). */
    private static long utf8Bytes(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes;
    }

    /** Characters JSON escapes (an escape is at most six characters for one). */
    private static long escapes(String text) {
        long escapes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                escapes++;
            }
        }
        return escapes;
    }

    static List<Prepared> all(List<GenerationRequested> requests) {
        return requests.stream().map(Prepared::of).toList();
    }
}
