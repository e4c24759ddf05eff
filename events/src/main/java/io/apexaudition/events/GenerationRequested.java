package io.apexaudition.events;

import java.time.Instant;

/**
 * One generation to produce: a lane x prompt x replicate of a run, with everything the dispatcher needs to
 * build the provider request (so a dispatcher holds no catalogue of its own). Keyed by run and lane, so a
 * lane's requests of one run share a partition and can be batched together.
 */
public record GenerationRequested(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String generationId,
        int attempt,
        String conditionId,
        String conditionSlug,
        String provider,
        String model,
        String apiModelId,
        LaneParameters parameters,
        String promptId,
        int promptVersion,
        String promptText,
        String sharedContext,
        int replicate,
        RunMode mode,
        boolean verifyFirst,
        boolean dryRun,
        boolean cache,
        int laneGenerations) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return Keys.lane(runId, conditionSlug);
    }

    public String customId() {
        return EventIds.customId(generationId, attempt);
    }

    /**
     * The same request carrying {@code prompt} and {@code context}, equal to its own texts: one instance of each
     * can then be kept for the many requests that repeat it.
     */
    public GenerationRequested withTexts(String prompt, String context) {
        return new GenerationRequested(eventId, schemaVersion, occurredAt, runId, generationId, attempt, conditionId,
                conditionSlug, provider, model, apiModelId, parameters, promptId, promptVersion, prompt, context,
                replicate, mode, verifyFirst, dryRun, cache, laneGenerations);
    }
}
