package io.apexaudition.events;

import java.math.BigDecimal;
import java.time.Instant;

/** Every generation of a run is final; the totals are counted once per generation. */
public record RunCompleted(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        int expectedGenerations,
        int completed,
        int errors,
        int dryRun,
        BigDecimal costUsd) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return runId;
    }
}
