package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/**
 * A judging pass over a finished run, published to {@link Topics#RUN_COMMANDS} by {@code apex judge}. The planner
 * plans it as a run of its own ({@code runId}) whose lanes are the judge lanes: one judge request per judge lane
 * and output (rubric) or per judge lane, prompt, pair of lanes and order (pairwise). It carries the judged texts
 * and the writing prompts themselves, so the log alone holds everything the pass was planned from and a replay
 * plans the same requests (docs/judging.md).
 */
public record JudgingRequested(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String sourceRunId,
        List<String> judgeConditionSlugs,
        JudgingKind kind,
        JudgingRubric rubric,
        Integer pairDegree,
        RunMode mode,
        Boolean dryRun,
        Boolean cache,
        String createdBy,
        String notes,
        List<Prompt> prompts,
        List<Output> outputs) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;
    /** Each lane meets this many others per prompt unless the command says otherwise (15 lanes: 30 pairs). */
    public static final int DEFAULT_PAIR_DEGREE = 4;

    /** A writing prompt the judged outputs answer, as the writers were given it. */
    public record Prompt(String promptId, int promptVersion, String text) {
    }

    /** One completed output of the source run to judge. */
    public record Output(String generationId, String promptId, String laneSlug, int replicate, String text) {
    }

    public JudgingRequested {
        schemaVersion = schemaVersion <= 0 ? SCHEMA_VERSION : schemaVersion;
        judgeConditionSlugs = judgeConditionSlugs == null ? List.of() : List.copyOf(judgeConditionSlugs);
        kind = kind == null ? JudgingKind.RUBRIC : kind;
        pairDegree = pairDegree == null ? DEFAULT_PAIR_DEGREE : pairDegree;
        mode = mode == null ? RunMode.BATCH : mode;
        dryRun = dryRun != null && dryRun;
        cache = cache == null || cache;
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    @Override
    public String key() {
        return runId;
    }
}
