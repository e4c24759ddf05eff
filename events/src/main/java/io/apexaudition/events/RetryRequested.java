package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/**
 * A command on {@link Topics#RUN_COMMANDS} to send some generations of a run again as a new attempt (the CLI's
 * {@code apex retry} builds it from the generations that ended in a retryable error). The planner re-emits them
 * with the lane and prompt versions they first ran with; {@code retryId} makes the command idempotent.
 */
public record RetryRequested(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String retryId,
        RunMode mode,
        Boolean cache,
        List<Item> generations) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    /** One generation to retry and the attempt it last ended with. */
    public record Item(String generationId, int attempt, String conditionId, String conditionSlug, String promptId,
                       int promptVersion, int replicate) {
    }

    public RetryRequested {
        schemaVersion = schemaVersion <= 0 ? SCHEMA_VERSION : schemaVersion;
        generations = generations == null ? List.of() : List.copyOf(generations);
        mode = mode == null ? RunMode.BATCH : mode;
        cache = cache == null || cache;
    }

    @Override
    public String key() {
        return runId;
    }
}
