package io.apexaudition.events;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.time.Instant;

/**
 * One generation to produce: a lane x prompt x replicate of a run. Keyed by run and lane, so a lane's requests of
 * one run share a partition and can be batched together. The lane's settings travel with it (a few hundred bytes);
 * the prompt is a claim check: a generation of an audition names its prompt version ({@code promptId},
 * {@code promptVersion}) and leaves {@code promptText} and {@code sharedContext} null, and the dispatcher reads the
 * texts from the compacted {@code apex.prompts} topic. A judge request, whose prompt is built from the outputs it
 * judges and is in no catalog, carries its texts.
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
        int laneGenerations,
        JudgeSubject judging) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    /** JSON's constructor: every field, {@code judging} absent (null) on requests that judge nothing. */
    @JsonCreator
    public GenerationRequested {
    }

    /** A request that judges nothing: a generation of an audition. */
    public GenerationRequested(String eventId, int schemaVersion, Instant occurredAt, String runId,
            String generationId, int attempt, String conditionId, String conditionSlug, String provider, String model,
            String apiModelId, LaneParameters parameters, String promptId, int promptVersion, String promptText,
            String sharedContext, int replicate, RunMode mode, boolean verifyFirst, boolean dryRun, boolean cache,
            int laneGenerations) {
        this(eventId, schemaVersion, occurredAt, runId, generationId, attempt, conditionId, conditionSlug, provider,
                model, apiModelId, parameters, promptId, promptVersion, promptText, sharedContext, replicate, mode,
                verifyFirst, dryRun, cache, laneGenerations, null);
    }

    @Override
    public String key() {
        return Keys.lane(runId, conditionSlug);
    }

    /** Whether the texts are to be read from the prompt catalog (the planner left them out). */
    public boolean textsByReference() {
        return promptText == null;
    }

    /** The same request naming its prompt version only: what the planner publishes for a catalog prompt. */
    public GenerationRequested withTextsByReference() {
        return withTexts(null, null);
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
                replicate, mode, verifyFirst, dryRun, cache, laneGenerations, judging);
    }
}
