package io.apexaudition.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A generation reached a final state: {@code COMPLETED} with its text and usage, {@code ERROR} with the
 * provider's message and an {@link ErrorKind}, or {@code DRY_RUN} with the request that would have been
 * sent. {@code requestBodyHash} names the body exactly as sent (or, for a dry run, as it would have been): a
 * {@link RequestBodyStored} under that hash holds it. Every writer builds it with {@link #of}, from a
 * {@link Subject}, so a result has the same fields filled whoever wrote it (poller, dispatcher, dry run).
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
        String requestBodyHash) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    public GenerationCompleted {
        usage = usage == null ? Usage.NONE : usage;
    }

    /** Which generation a result is of and which request was sent for it: the half of a result its writer knows first. */
    public record Subject(String runId, String generationId, int attempt, String conditionId, String conditionSlug,
                          String promptId, int promptVersion, String provider, String model, RunMode mode,
                          String batchId, String customId, String requestBodyHash) {

        /** A request the dispatcher answers itself (a synchronous call, a dry run, a refusal). */
        public static Subject of(GenerationRequested r, RunMode mode, String batchId, String requestBodyHash) {
            return new Subject(r.runId(), r.generationId(), r.attempt(), r.conditionId(), r.conditionSlug(),
                    r.promptId(), r.promptVersion(), r.provider(), r.model(), mode, batchId, r.customId(),
                    requestBodyHash);
        }

        /** A line of a submitted batch, which the poller answers. */
        public static Subject of(BatchSubmitted batch, BatchEntry entry) {
            return new Subject(batch.runId(), entry.generationId(), entry.attempt(), entry.conditionId(),
                    entry.conditionSlug(), entry.promptId(), entry.promptVersion(), batch.provider(), batch.model(),
                    RunMode.BATCH, batch.batchId(), entry.customId(), entry.requestBodyHash());
        }
    }

    /**
     * The one way to make a result: the subject and what the generation came to. Its id follows from the generation
     * and attempt, so the same result written twice (a redelivery, a commit retried after an outage) is one event.
     */
    public static GenerationCompleted of(Subject s, Instant at, GenerationStatus status, String outputText,
                                         String finishReason, Usage usage, boolean cacheHit, BigDecimal costUsd,
                                         ErrorKind errorKind, String errorMessage) {
        return new GenerationCompleted(
                EventIds.nameUuid("GenerationCompleted", s.generationId(), Integer.toString(s.attempt())),
                SCHEMA_VERSION, at, s.runId(), s.generationId(), s.attempt(), s.conditionId(), s.conditionSlug(),
                s.promptId(), s.promptVersion(), s.provider(), s.model(), s.mode(), s.batchId(), s.customId(), status,
                outputText, finishReason, usage, cacheHit, costUsd, errorKind, errorMessage, s.requestBodyHash());
    }

    /** A dry run's result: nothing was called, the subject's body is what would have been sent. */
    public static GenerationCompleted dryRun(Subject s, Instant at) {
        return of(s, at, GenerationStatus.DRY_RUN, null, null, Usage.NONE, false, null, null, null);
    }

    @Override
    public String key() {
        return Keys.lane(runId, conditionSlug);
    }
}
