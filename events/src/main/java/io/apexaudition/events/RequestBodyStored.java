package io.apexaudition.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The exact body of a provider request, stored once under its SHA-256 (hex of its UTF-8 bytes): the claim check
 * that {@link BatchEntry#requestBodyHash()} and {@link GenerationCompleted#requestBodyHash()} name. A dispatcher
 * publishes it in the transaction of the intent that precedes the paid call (or of the result that needs it), so a
 * body is stored before it is paid for. Identical bodies (replicates, reruns of a lane version x prompt version x
 * cache setting) share one key, and the compacted topic keeps one record of each.
 *
 * <p>Since schema version 2 a body may name its long text instead of holding it ({@code textHash}, {@code textAt}):
 * {@code body} is then the body with that text cut out at char {@code textAt}, and a {@link LongTextStored} under
 * {@code textHash} holds the text as it lay in the body (JSON-escaped). Every body of an audition repeats the same
 * ~9 KB shared context; stored this way it is written, sent, parsed and stored once per distinct context instead of
 * once per body (docs/architecture.md, "Claim checks"). {@link #restored} puts it back.
 */
public record RequestBodyStored(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String bodyHash,
        String textHash,
        Integer textAt,
        String body) implements ApexEvent {

    public static final int SCHEMA_VERSION = 2;

    /** A whole body (no text cut out), as schema version 1 had it. */
    public RequestBodyStored(String eventId, int schemaVersion, Instant occurredAt, String bodyHash, String body) {
        this(eventId, schemaVersion, occurredAt, bodyHash, null, null, body);
    }

    /** The body under its hash; the event id follows from the hash, so a re-publication is the same event. */
    public static RequestBodyStored of(String body, Instant at) {
        return under(hashOf(body), body, at);
    }

    /**
     * The body under a hash the caller has just computed or checked for these very bytes: hashing a ~10 KB body
     * again is one of the dispatcher's largest costs per request (docs/benchmarks.md).
     */
    public static RequestBodyStored under(String checkedHash, String body, Instant at) {
        return new RequestBodyStored(EventIds.nameUuid("RequestBodyStored", checkedHash), SCHEMA_VERSION, at,
                checkedHash, body);
    }

    /**
     * The body under its checked hash, with the long text under {@code textHash} cut out of it at char
     * {@code textAt} ({@code cutBody}: the body without those chars).
     */
    public static RequestBodyStored cut(String checkedHash, String cutBody, String textHash, int textAt, Instant at) {
        return new RequestBodyStored(EventIds.nameUuid("RequestBodyStored", checkedHash), SCHEMA_VERSION, at,
                checkedHash, textHash, textAt, cutBody);
    }

    /**
     * Whether {@link #body} lacks a long text that a {@link LongTextStored} holds. Not a field of the JSON: the record's
     * last field must be {@code body} (EventJson writes a stored body by splicing it in there).
     */
    @JsonIgnore
    public boolean isCut() {
        return textHash != null;
    }

    /**
     * The whole body: {@link #body} itself, or with {@code escapedText} (the {@link LongTextStored#escapedText()}
     * under {@link #textHash}) put back at {@link #textAt}. The caller checks it against {@link #bodyHash}. A cut body
     * without its text is refused rather than put together with "null" in the text's place.
     */
    public String restored(String escapedText) {
        if (!isCut()) {
            return body;
        }
        if (escapedText == null) {
            throw new IllegalArgumentException("the body " + bodyHash + " names the long text " + textHash
                    + ", which is needed to put it back (a LongTextStored on apex.request-bodies)");
        }
        return body.substring(0, textAt) + escapedText + body.substring(textAt);
    }

    /**
     * The claim check of a body: the SHA-256 of its UTF-8 bytes, in lower-case hex (what Postgres computes as
     * {@code encode(sha256(convert_to(body, 'UTF8')), 'hex')}).
     */
    public static String hashOf(String body) {
        return hashOfUtf8(body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #hashOf} of a body already encoded as UTF-8 (a caller that needs the bytes for more than the hash). */
    public static String hashOfUtf8(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String key() {
        return bodyHash;
    }
}
