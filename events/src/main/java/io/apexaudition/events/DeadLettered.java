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

    /**
     * The one way every consumer parks a record. The id is the consumer and the record's position, so re-reading
     * the topic after a restart (or replaying it) parks the record once, and two consumers parking the same record
     * leave two dead letters. A record without a known position (-1) gets a random id: nothing can re-read it as
     * the same record.
     *
     * @param payloadEcho the start of the record, already made storable ({@link EventJson#echo})
     */
    public static DeadLettered parked(String consumer, String sourceTopic, int partition, long offset,
            String sourceKey, String reason, String payloadEcho, Instant at) {
        String id = partition < 0 || offset < 0 ? EventIds.newEventId()
                : EventIds.nameUuid("DeadLettered", consumer, sourceTopic, Integer.toString(partition),
                Long.toString(offset));
        return new DeadLettered(id, SCHEMA_VERSION, at, consumer, sourceTopic, partition, offset, sourceKey, reason,
                payloadEcho);
    }

    @Override
    public String key() {
        return sourceTopic;
    }
}
