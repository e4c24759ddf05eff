package io.apexaudition.events;

import java.time.Instant;
import java.util.Map;

/**
 * The provider reported a new status for a batch ({@code status} is the provider's own word). A terminal
 * status is written in the same transaction as the batch's {@link GenerationCompleted} events.
 */
public record BatchStatusChanged(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String batchId,
        String provider,
        String runId,
        String status,
        boolean terminal,
        Map<String, Integer> requestCounts,
        String message) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    public BatchStatusChanged {
        requestCounts = requestCounts == null ? Map.of() : Map.copyOf(requestCounts);
    }

    @Override
    public String key() {
        return batchId;
    }
}
