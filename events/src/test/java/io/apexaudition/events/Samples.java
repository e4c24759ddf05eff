package io.apexaudition.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated instance of every event, for contract tests. */
final class Samples {
    static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");
    static final LaneParameters CLAUDE_EXT = new LaneParameters(null, 38000, null, null, 32000);
    /** A long text as a body holds it (JSON-escaped), and a body holding it after a non-ASCII char. */
    static final String LONG_TEXT = "# House style\\n\\n\\\"Prefer\\\" the concrete. ";
    static final String BODY = "{\"model\":\"gpt-5\",\"note\":\"café\",\"system\":\"" + LONG_TEXT + "\"}";
    static final LaneParameters GPT5_MIN = new LaneParameters(null, null, 36000, "minimal", null);

    private Samples() {
    }

    static List<ApexEvent> all() {
        String gen = EventIds.generationId("run-1", "gpt5.reason-min", "p01", 1);
        return List.of(
                new RunRequested("e1", 1, AT, "run-1", List.of("gpt5.reason-min"), false, RunMode.BATCH,
                        true, false, 3, 1, true, "ada", "first", List.of("p01")),
                new RetryRequested("e1b", 1, AT, "run-1", "retry-1", RunMode.BATCH, true,
                        List.of(new RetryRequested.Item(gen, 1, "c1", "gpt5.reason-min", "p01", 1, 1))),
                new LaneRegistered("e2", 1, AT, "c1", "sonnet.t1-0.ext", 1, Providers.ANTHROPIC,
                        "claude-sonnet-4.5", "claude-sonnet-4-5", CLAUDE_EXT, "hash", "thinking"),
                new PromptIngested("e3", 1, AT, "p01", 2, "chash", "The Lighthouse", "poem", "Write...", "ctx"),
                new RunAccepted("e4", 1, AT, "run-1", RunMode.SYNC, false, true, false, 3, 1, "ada", "n",
                        List.of(new PlannedLane("c1", "gpt5.reason-min", Providers.OPENAI, "gpt-5", 3)),
                        List.of("p01", "p02", "p03"), 3),
                new RunRejected("e5", 1, AT, "run-2", "unknown lane", List.of("lane 'x' is not registered"),
                        "{\"runId\":\"run-2\"}"),
                new GenerationRequested("e6", 1, AT, "run-1", gen, 1, "c1", "gpt5.reason-min",
                        Providers.OPENAI, "gpt-5", "gpt-5", GPT5_MIN, "p01", 1, "Write a poem", "shared", 1,
                        RunMode.BATCH, false, false, true, 21),
                new LaneGroupRequested("e6g", 1, AT, "run-1", 1, "c1", "gpt5.reason-min", Providers.OPENAI, "gpt-5",
                        "gpt-5", GPT5_MIN, RunMode.BATCH, false, false, true, 21, List.of(
                        new LaneGroupRequested.Item("e6g1", gen, "p01", 1, null, null, 1, null),
                        new LaneGroupRequested.Item("e6g2", "g-2", "p02", 3, "Piece A ...", "Compare them.", 2,
                                new JudgeSubject(JudgingKind.RUBRIC, "run-0", "p02", "g-0", "opus.t0-8.std", null,
                                        null, List.of("imagery"), 1, 10)))),
                new DispatchIntended("e6b", 1, AT, "intent-1", Providers.OPENAI, "run-1", "gpt5.reason-min", "gpt-5",
                        DispatchIntended.Kind.BATCH, 0, List.of(EventIds.customId(gen, 1))),
                new BatchSubmitted("e7", 1, AT, "batch_1", Providers.OPENAI, "run-1", "gpt-5", "intent-1",
                        "file-1", List.of(new BatchEntry(EventIds.customId(gen, 1), gen, 1, "c1",
                        "gpt5.reason-min", "p01", 1, RequestBodyStored.hashOf(BODY)))),
                new DispatchSettled("e7b", 1, AT, "intent-2", Providers.OPENAI, "run-1", true, null),
                new BatchStatusChanged("e8", 1, AT, "batch_1", Providers.OPENAI, "run-1", "completed", true,
                        Map.of("total", 1, "completed", 1, "failed", 0), null),
                new GenerationCompleted("e9", 1, AT, "run-1", gen, 1, "c1", "gpt5.reason-min", "p01", 1,
                        Providers.OPENAI, "gpt-5", RunMode.BATCH, "batch_1", EventIds.customId(gen, 1),
                        GenerationStatus.COMPLETED, "Once upon", "stop", new Usage(1200, 1024, 0, 900, 400),
                        true, new BigDecimal("0.004512"), null, null, RequestBodyStored.hashOf(BODY)),
                new RunCompleted("e10", 1, AT, "run-1", 3, 2, 1, 0, new BigDecimal("0.01")),
                new DeadLettered("e11", 1, AT, "recorder", "apex.runs", 2, 17L, "run-1", "malformed JSON",
                        "{oops"),
                new VerdictRecorded("e12", 1, AT, "run-1", "verdict-1", "p01", VerdictRecorded.Kind.PAIRWISE, gen,
                        "g-other", VerdictRecorded.Winner.TIE, null, "ada", true),
                new VerdictRecorded("e13", 1, AT, "run-1", "verdict-2", "p01", VerdictRecorded.Kind.RANKING, null,
                        null, null, List.of("g-other", gen, "g-third"), null, false),
                new JudgingRequested("e1c", 1, AT, "run-1.judge-1", "run-1", List.of("judge.4o"),
                        JudgingKind.PAIRWISE, new JudgingRubric("creative-v1", "Score it.",
                        List.of(new JudgingRubric.Criterion("imagery", "fresh images")), 1, 10, "JSON",
                        "Compare them.", "JSON winner"), 4, RunMode.BATCH, false, true, "ada", "judging",
                        List.of(new JudgingRequested.Prompt("p01", 1, "Write a poem")),
                        List.of(new JudgingRequested.Output(gen, "p01", "gpt5.reason-min", 1, "Once upon"))),
                new GenerationRequested("e6j", 1, AT, "run-1.judge-1", "g-judge-1", 1, "cj", "judge.4o",
                        Providers.OPENAI, "gpt-4o", "gpt-4o", GPT5_MIN, "p01", 1, "Piece A ...", "Compare them.", 1,
                        RunMode.BATCH, false, false, true, 2, new JudgeSubject(JudgingKind.PAIRWISE, "run-1", "p01",
                        gen, "gpt5.reason-min", "g-2", "opus.t0-8.std", List.of(), 0, 0)),
                RequestBodyStored.of(BODY, AT),
                RequestBodyStored.cut(RequestBodyStored.hashOf(BODY), BODY.replace(LONG_TEXT, ""),
                        RequestBodyStored.hashOf(LONG_TEXT), BODY.indexOf(LONG_TEXT), AT),
                LongTextStored.of(LONG_TEXT, AT));
    }
}
