package io.apexaudition.events;

import java.time.Instant;

/**
 * A paid call intended by {@link DispatchIntended} that did not become a batch has been settled: a synchronous
 * or verify call whose result is published in the same transaction, or a batch the provider definitively
 * refused, or found never created ({@link Resolution#NOT_CREATED}), or given up on ({@link Resolution#UNKNOWN_OUTCOME}).
 * An intent with neither this nor a {@link BatchSubmitted} is in doubt.
 */
public record DispatchSettled(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String intentId,
        String provider,
        String runId,
        boolean succeeded,
        String message,
        Resolution resolution) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    /** How an intent was settled when its call got no clear answer; null when the provider answered it. */
    public enum Resolution {
        /**
         * The provider's listing, read after its consistency window, shows no batch for the intent: nothing was
         * created or billed, and its requests may be sent under a new intent.
         */
        NOT_CREATED,
        /**
         * Nobody can tell whether the provider has it (a synchronous call under way in a crash, a listing that
         * never answered): its generations end as {@link ErrorKind#UNKNOWN_OUTCOME} for a person to decide.
         */
        UNKNOWN_OUTCOME,
        /** A verify-first call failed in a way a retry may fix (rate limit, server error, timeout). */
        INCONCLUSIVE
    }

    /** A settlement of a call the provider answered. */
    public DispatchSettled(String eventId, int schemaVersion, Instant occurredAt, String intentId, String provider,
                           String runId, boolean succeeded, String message) {
        this(eventId, schemaVersion, occurredAt, intentId, provider, runId, succeeded, message, null);
    }

    @Override
    public String key() {
        return intentId;
    }
}
