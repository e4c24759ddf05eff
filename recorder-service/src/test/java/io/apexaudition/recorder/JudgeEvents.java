package io.apexaudition.recorder;

import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.JudgeSubject;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Events of judge requests and ordinary generations, as the planner, dispatchers and poller write them. */
public final class JudgeEvents {
    public static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");
    public static final String JUDGE_LANE = "opus.t0-8.std";
    public static final List<String> CRITERIA = List.of("imagery", "voice", "structure");

    private JudgeEvents() {
    }

    public static JudgeSubject pairwise(String sourceRun, String promptId) {
        return new JudgeSubject(JudgingKind.PAIRWISE, sourceRun, promptId, "gen-a-" + promptId, "4o.t0-6",
                "gen-b-" + promptId, "sonnet.t0-8.std", List.of(), 0, 0);
    }

    public static JudgeSubject rubric(String sourceRun, String promptId) {
        return new JudgeSubject(JudgingKind.RUBRIC, sourceRun, promptId, "gen-a-" + promptId, "4o.t0-6", null, null,
                CRITERIA, 1, 10);
    }

    /** The judge request of {@code subject} in judging run {@code runId}, attempt {@code attempt}. */
    public static GenerationRequested judgeRequest(String runId, String key, int attempt, JudgeSubject subject) {
        String id = EventIds.generationId(runId, JUDGE_LANE, key, 1);
        return new GenerationRequested(EventIds.nameUuid("GenerationRequested", id, Integer.toString(attempt)), 1,
                AT.plusSeconds(100L * attempt), runId, id, attempt, "cond-opus-judge", JUDGE_LANE,
                Providers.ANTHROPIC, "claude-opus-4-1", "claude-opus-4-1-20250805",
                new LaneParameters(0.8, 6000, null, null, null), key, 1, "judge this", null, 1, RunMode.BATCH, false,
                false, true, 1, subject);
    }

    /** An ordinary generation's request, for prompt {@code promptId} version 1. */
    public static GenerationRequested request(String runId, String promptId) {
        String id = EventIds.generationId(runId, "4o.t0-6", promptId, 1);
        return new GenerationRequested(EventIds.nameUuid("GenerationRequested", id, "1"), 1, AT, runId, id, 1,
                "cond-4o", "4o.t0-6", Providers.OPENAI, "gpt-4o", "gpt-4o",
                new LaneParameters(0.6, 6000, null, null, null), promptId, 1, "text", null, 1, RunMode.BATCH, false,
                false, true, 1);
    }

    /** The batch that sent attempt {@code attempt} of {@code r}. */
    public static BatchSubmitted submitted(GenerationRequested r, int attempt) {
        String batch = "batch-" + r.generationId() + "-" + attempt;
        return new BatchSubmitted("bs-" + batch, 1, AT.plusSeconds(100L * attempt + 10), batch, r.provider(),
                r.runId(), r.model(), "intent-" + batch, "file-" + batch, List.of(new BatchEntry(
                EventIds.customId(r.generationId(), attempt), r.generationId(), attempt, r.conditionId(),
                r.conditionSlug(), r.promptId(), r.promptVersion(), RequestBodyStored.hashOf("{}"))));
    }

    /** Attempt {@code attempt} of {@code r} answered with {@code text}, as the poller records a batch result. */
    public static GenerationCompleted answered(GenerationRequested r, int attempt, String text) {
        return new GenerationCompleted(EventIds.nameUuid("GenerationCompleted", r.generationId(),
                Integer.toString(attempt)), 1, AT.plusSeconds(100L * attempt + 50), r.runId(), r.generationId(),
                attempt, r.conditionId(), r.conditionSlug(), r.promptId(), r.promptVersion(), r.provider(), r.model(),
                RunMode.BATCH,
                "batch-" + r.generationId() + "-" + attempt, EventIds.customId(r.generationId(), attempt),
                GenerationStatus.COMPLETED, text, "stop", new Usage(900, 0, 0, 60, 0), false,
                new BigDecimal("0.004500"), null, null, RequestBodyStored.hashOf("{}"));
    }

    public static PromptIngested prompt(String promptId, String text) {
        return new PromptIngested("pi-" + promptId, 1, AT.minusSeconds(60), promptId, 1, "hash-" + promptId,
                "A title", "fiction", text, null);
    }
}
