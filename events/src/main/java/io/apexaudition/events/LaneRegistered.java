package io.apexaudition.events;

import java.time.Instant;

/**
 * A lane (a "condition": one model under one parameter setting) as registered by the planner, the single
 * writer of lanes. A changed lane is a new {@code version} with a new {@code conditionId}; generations keep
 * pointing at the version they ran with.
 */
public record LaneRegistered(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String conditionId,
        String slug,
        int version,
        String provider,
        String model,
        String apiModelId,
        LaneParameters parameters,
        String configHash,
        String description) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return Keys.versioned(slug, version);
    }
}
