package io.apexaudition.events;

import java.time.Instant;

/**
 * A record a consumer could not use (malformed JSON, an unknown event version, an oversized payload, an
 * event for an unknown run). It is parked with the reason so that nothing is silently dropped and the
 * consumer goes on with the next record.
 */
public record DeadLettered(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String consumer,
        String sourceTopic,
        int partition,
        long offset,
        String sourceKey,
        String reason,
        String payload) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return sourceTopic;
    }
}
