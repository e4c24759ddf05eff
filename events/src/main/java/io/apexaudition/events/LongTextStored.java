package io.apexaudition.events;

import java.time.Instant;

/**
 * A long text that request bodies name instead of holding it (the shared context every body of an audition repeats),
 * stored once under the SHA-256 of its UTF-8 ({@code textHash}). {@code escapedText} is the text as it lies inside a
 * body's JSON: escaped as a string's content, without the quotes, so that putting it back is a plain insertion
 * ({@link RequestBodyStored#restored}). A dispatcher publishes it in the same transaction as the first body that names
 * it (or after that transaction committed), so no stored body names a text that is not stored. It shares
 * apex.request-bodies with the bodies: its key cannot be a body's, since a body always holds a bare quote and an
 * escaped text never does.
 */
public record LongTextStored(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String textHash,
        String escapedText) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    /** The text under a hash the caller computed for its very bytes; the id follows from the hash. */
    public static LongTextStored under(String checkedHash, String escapedText, Instant at) {
        return new LongTextStored(EventIds.nameUuid("LongTextStored", checkedHash), SCHEMA_VERSION, at, checkedHash,
                escapedText);
    }

    /** The text under its hash (SHA-256 of its UTF-8, lower-case hex: {@link RequestBodyStored#hashOf}). */
    public static LongTextStored of(String escapedText, Instant at) {
        return under(RequestBodyStored.hashOf(escapedText), escapedText, at);
    }

    @Override
    public String key() {
        return textHash;
    }
}
