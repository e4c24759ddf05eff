package io.apexaudition.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A generation reached a final state: {@code COMPLETED} with its text and usage, {@code ERROR} with the
 * provider's message and an {@link ErrorKind}, or {@code DRY_RUN} with the request that would have been
 * sent. {@code requestBody} is the body exactly as sent (or, for a dry run, as it would have been).
 */
public record GenerationCompleted(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String generationId,
        int attempt,
        String conditionId,
        String conditionSlug,
        String promptId,
        int promptVersion,
        String provider,
        String model,
        RunMode mode,
        String batchId,
        String customId,
        GenerationStatus status,
        String outputText,
        String finishReason,
        Usage usage,
        boolean cacheHit,
        BigDecimal costUsd,
        ErrorKind errorKind,
        String errorMessage,
        String requestBody) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    public GenerationCompleted {
        usage = usage == null ? Usage.NONE : usage;
    }

    @Override
    public String key() {
        return Keys.lane(runId, conditionSlug);
    }
}
