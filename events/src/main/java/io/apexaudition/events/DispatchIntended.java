package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/**
 * Written (acks=all) before a dispatcher makes a paid provider call, so that after a crash it knows a call may
 * have happened. An intent without its {@link BatchSubmitted} is reconciled with the provider's own batch
 * listing before anything is sent again; a synchronous intent without its result is never re-sent blindly.
 */
public record DispatchIntended(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String intentId,
        String provider,
        String runId,
        String conditionSlug,
        String model,
        Kind kind,
        int chunk,
        List<String> customIds) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    /** What the paid call is. */
    public enum Kind { BATCH, SYNC, VERIFY }

    public DispatchIntended {
        customIds = customIds == null ? List.of() : List.copyOf(customIds);
    }

    @Override
    public String key() {
        return intentId;
    }
}
