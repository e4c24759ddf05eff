package io.apexaudition.events;

import java.time.Instant;

/**
 * A paid call intended by {@link DispatchIntended} that did not become a batch has been settled: a synchronous
 * or verify call whose result is published in the same transaction, or a batch the provider definitively
 * refused. An intent with neither this nor a {@link BatchSubmitted} is in doubt.
 */
public record DispatchSettled(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String intentId,
        String provider,
        String runId,
        boolean succeeded,
        String message) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return intentId;
    }
}
