package io.apexaudition.recorder.persistence;

import io.apexaudition.core.judging.RequestedLength;
import io.apexaudition.core.judging.WritingDiagnostics;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.JudgeSubject;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.PromptIngested;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What the recorder derives from a batch's generations, in the batch's transaction: judge answers read into
 * {@code apex_audition.judgments} once the batch's events are written ({@link #project}), and ordinary outputs
 * measured into the writing-diagnostics columns of {@code generations} ({@link WritingDiagnostics}) as they are
 * written ({@link #measure}).
 *
 * <p><b>Judgments.</b> A judge request's {@link GenerationRequested} writes its {@code judgments} row (who is
 * judged); then, for every generation the batch touched that has such a row (one query for the batch's ids), the
 * row's status and verdict are derived from the generation as recorded ({@link JudgmentReading}): a pure function of
 * the request and the {@code generations} row, whose own convergence (attempts, statuses never moving backwards)
 * the upserts already guarantee. So the result does not depend on the order the request, the submission and the
 * answer arrive in, nor on how a rebuild interleaves the topics. Two transactions touching one generation (two
 * recorder instances, or a rebuild beside the live consumer) are serialised by the {@code generations} row, which
 * both write before they read it: the later one sees what the earlier committed. The row's {@code attempt} is the
 * generation's; its {@code updated_at} the latest of its judge requests' times and the generation's
 * {@code updated_at}, both of which only grow, so the latest is the same whatever the order.
 *
 * <p>An answer that cannot be read turns its {@code completed} generation into an {@code error} of kind
 * {@code unparseable_judgment} with the problem as message, the raw answer kept in {@code output_text}: {@code apex
 * retry} selects it, and the next attempt's answer, once recorded, is read in its place. The attempt's row in
 * {@code generation_attempts} keeps the provider's outcome ({@code completed}): whether an earlier attempt's
 * answer could be read cannot be decided again once a later attempt's answer has replaced its text, so marking it
 * would make a rebuild depend on the order it reads the topics in.
 *
 * <p><b>Writing diagnostics</b> of an ordinary output are measured before the batch is written ({@link #measure}),
 * from the {@link GenerationCompleted} in hand, and written by the result's own upsert: measuring after the write
 * would read the text back and update every row a second time (which also recomputes its stored output length),
 * about half as much again as recording the result. The prompt text is that of the generation's prompt version in
 * {@code apex_audition.prompts}, not the {@link GenerationRequested}'s copy: the request may be recorded in another
 * batch (or, in a rebuild, after the answer), the recorder keeps no copy of it per generation, and the prompts
 * table holds each version once, so a batch's few versions are one small query. Batch results carry no prompt
 * version (the request's row gives it), so when the length ratio could not be measured with the output (no prompt
 * version or prompt yet), whichever of the request and the prompt is recorded later fills it in, and so does the
 * result's own transaction once written (a request committed meanwhile): a rebuild ends with the same value. A
 * judge generation gets no diagnostics (cleared if it was measured before its request said it was one).
 */
final class OutputProjection {
    private static final int MAX_PROMPTS_KEPT = 16_384;
    /** The length each prompt text asks for, by the text itself (so never stale). */
    private static final Map<String, Optional<RequestedLength>> REQUESTED_LENGTHS = new ConcurrentHashMap<>();

    private OutputProjection() {
    }

    /**
     * Before the batch is written, in its transaction: the writing diagnostics of each ordinary output it records,
     * for its upsert to write ({@link #bind}). First takes a transaction lock per prompt the batch measures outputs
     * of (shared) or ingests (exclusive), in one order and before any row lock: an output measured while its prompt
     * is being ingested in another transaction would otherwise see no prompt, and the prompt's fill-in would not
     * yet see the output.
     */
    static Map<GenerationCompleted, WritingDiagnostics> measure(Connection c, List<ApexEvent> events)
            throws SQLException {
        Map<Long, Boolean> exclusive = new TreeMap<>();
        List<GenerationCompleted> outputs = new ArrayList<>();
        Map<String, Integer> versions = new HashMap<>();
        Set<String> judges = new HashSet<>();
        Map<PromptKey, String> ingested = new HashMap<>();
        for (ApexEvent event : events) {
            if (event instanceof PromptIngested e && e.promptId() != null) {
                exclusive.put(promptLock(e.promptId()), true);
                ingested.putIfAbsent(new PromptKey(id(e.promptId()), e.version()), e.text());
            } else if (event instanceof GenerationCompleted e && measured(e) && e.generationId() != null) {
                outputs.add(e);
                if (e.promptId() != null) {
                    exclusive.putIfAbsent(promptLock(e.promptId()), false);
                }
            } else if (event instanceof GenerationRequested e && e.generationId() != null) {
                versions.putIfAbsent(id(e.generationId()), e.promptVersion());
                if (e.judging() != null) {
                    judges.add(id(e.generationId()));
                }
            }
        }
        if (!exclusive.isEmpty()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)");
                 PreparedStatement shared = c.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
                for (Map.Entry<Long, Boolean> key : exclusive.entrySet()) {
                    PreparedStatement p = key.getValue() ? lock : shared;
                    p.setLong(1, key.getKey());
                    p.executeQuery().close();
                }
            }
        }
        if (outputs.isEmpty()) {
            return Map.of();
        }
        // what the batch does not say: the prompt version a batch result answers, and whether it is a judge's answer
        try (PreparedStatement read = IdLookups.prepare(c, """
                SELECT g.id, g.prompt_version,
                    EXISTS (SELECT 1 FROM apex_audition.judgments j WHERE j.generation_id = g.id)
                FROM apex_audition.generations g WHERE g.id = ANY (?)""")) {
            read.setArray(1, c.createArrayOf("text", outputs.stream().map(e -> id(e.generationId())).toArray()));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    if (rs.getObject(2) != null) {
                        versions.put(rs.getString(1), rs.getInt(2)); // a request only fills a version the row lacks
                    }
                    if (rs.getBoolean(3)) {
                        judges.add(rs.getString(1));
                    }
                }
            }
        }
        Map<GenerationCompleted, PromptKey> answers = new IdentityHashMap<>();
        for (GenerationCompleted e : outputs) {
            Integer version = e.promptVersion() > 0 ? Integer.valueOf(e.promptVersion())
                    : versions.get(id(e.generationId()));
            answers.put(e, version == null || e.promptId() == null ? null : new PromptKey(id(e.promptId()), version));
        }
        Map<PromptKey, String> texts = promptTexts(c, answers.values().stream().filter(Objects::nonNull)
                .collect(Collectors.toSet()));
        ingested.forEach(texts::putIfAbsent); // a prompt recorded by this very batch
        Map<GenerationCompleted, WritingDiagnostics> diagnostics = new IdentityHashMap<>();
        for (GenerationCompleted e : outputs) {
            if (!judges.contains(id(e.generationId()))) {
                PromptKey prompt = answers.get(e);
                diagnostics.put(e, diagnose(prompt == null ? null : texts.get(prompt), e.outputText(),
                        e.finishReason()));
            }
        }
        return diagnostics;
    }

    /** Binds an output's diagnostics (or nulls: none measured) to four parameters from {@code first} on. */
    static void bind(RowSink p, int first, WritingDiagnostics d) throws SQLException {
        p.integer(first, d == null ? null : d.words());
        p.dbl(first + 1, d == null ? null : d.lengthRatio());
        p.dbl(first + 2, d == null ? null : d.repetition());
        p.bool(first + 3, d == null ? null : d.refusal());
    }

    /** After the batch's events are written, in its transaction: judgments, and the length ratios left to fill. */
    static void project(Connection c, List<ApexEvent> events) throws SQLException {
        Set<String> touched = new LinkedHashSet<>();
        Set<String> measured = new LinkedHashSet<>();
        Set<String> requested = new LinkedHashSet<>();
        List<GenerationRequested> judgeRequests = new ArrayList<>();
        List<PromptIngested> prompts = new ArrayList<>();
        for (ApexEvent event : events) {
            if (event instanceof GenerationRequested e && e.generationId() != null) {
                touched.add(id(e.generationId()));
                if (e.judging() != null) {
                    judgeRequests.add(e);
                } else {
                    requested.add(id(e.generationId()));
                }
            } else if (event instanceof GenerationCompleted e && e.generationId() != null) {
                touched.add(id(e.generationId()));
                if (measured(e)) {
                    measured.add(id(e.generationId()));
                }
            } else if (event instanceof BatchSubmitted e && e.entries() != null) {
                for (BatchEntry entry : e.entries()) {
                    if (entry != null && entry.generationId() != null) {
                        touched.add(id(entry.generationId()));
                    }
                }
            } else if (event instanceof PromptIngested e) {
                prompts.add(e);
            }
        }
        if (touched.isEmpty() && prompts.isEmpty()) {
            return;
        }
        writeSubjects(c, judgeRequests);
        Set<String> judged = judge(c, touched);
        fillLengthRatios(c, measured, requested, judged, prompts);
    }

    /**
     * At the end of a rebuild's fold ({@link RebuildFold}), in its transaction: every judgment read again from its
     * generation as now recorded (a page of ids at a time, so memory does not grow with history), and the length
     * ratios left to fill of the generations the fold did not write itself but applied the upserts to (those the live
     * consumer had recorded meanwhile).
     */
    static void afterFold(Connection c, Set<String> upserted) throws SQLException {
        String after = "";
        while (true) {
            Set<String> page = new LinkedHashSet<>();
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT generation_id FROM apex_audition.judgments WHERE generation_id > ?
                    ORDER BY generation_id LIMIT 1000""")) {
                p.setString(1, after);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        page.add(rs.getString(1));
                    }
                }
            }
            if (page.isEmpty()) {
                break;
            }
            judge(c, page);
            after = page.stream().reduce((a, b) -> b).orElseThrow();
        }
        if (!upserted.isEmpty()) {
            fillLengthRatios(c, upserted, upserted, judge(c, upserted), List.of());
        }
    }

    /** Whether a result brings an output to measure or to read as a judge's answer. */
    private static boolean measured(GenerationCompleted e) {
        return e.status() == GenerationStatus.COMPLETED && e.outputText() != null;
    }

    // ---- judgments ----

    private static void writeSubjects(Connection c, List<GenerationRequested> requests) throws SQLException {
        if (requests.isEmpty()) {
            return;
        }
        // the latest request's subject wins: a generation's requests share a key, so every replay reads them in order
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO apex_audition.judgments AS j (generation_id, run_id, source_run_id, judge_lane_id, kind,
                    prompt_id, generation_a, lane_a, generation_b, lane_b, criteria, scale_min, scale_max, status,
                    attempt, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                ON CONFLICT (generation_id) DO UPDATE SET run_id = EXCLUDED.run_id,
                    source_run_id = EXCLUDED.source_run_id, judge_lane_id = EXCLUDED.judge_lane_id,
                    kind = EXCLUDED.kind, prompt_id = EXCLUDED.prompt_id, generation_a = EXCLUDED.generation_a,
                    lane_a = EXCLUDED.lane_a, generation_b = EXCLUDED.generation_b, lane_b = EXCLUDED.lane_b,
                    criteria = EXCLUDED.criteria, scale_min = EXCLUDED.scale_min, scale_max = EXCLUDED.scale_max,
                    updated_at = GREATEST(j.updated_at, EXCLUDED.updated_at)""")) {
            for (GenerationRequested e : requests) {
                JudgeSubject s = e.judging();
                boolean rubric = s.kind() == JudgingKind.RUBRIC;
                ProjectionRepository.text(p, 1, e.generationId());
                ProjectionRepository.text(p, 2, e.runId());
                ProjectionRepository.text(p, 3, s.sourceRunId());
                ProjectionRepository.text(p, 4, e.conditionSlug());
                ProjectionRepository.text(p, 5, s.kind() == null ? null : s.kind().name().toLowerCase(Locale.ROOT));
                ProjectionRepository.text(p, 6, s.promptId());
                ProjectionRepository.text(p, 7, s.generationIdA());
                ProjectionRepository.text(p, 8, s.laneA());
                ProjectionRepository.text(p, 9, s.generationIdB());
                ProjectionRepository.text(p, 10, s.laneB());
                p.setArray(11, c.createArrayOf("text",
                        s.criteria().stream().map(PgText::storable).toArray(String[]::new)));
                p.setObject(12, rubric ? s.scaleMin() : null, Types.INTEGER);
                p.setObject(13, rubric ? s.scaleMax() : null, Types.INTEGER);
                p.setInt(14, e.attempt());
                p.setTimestamp(15, ProjectionRepository.ts(e.occurredAt()));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /**
     * Derives the judgments of the touched generations that have one from their generations rows; returns their ids
     * (the judge generations, which get no writing diagnostics).
     */
    private static Set<String> judge(Connection c, Set<String> touched) throws SQLException {
        Set<String> judges = new LinkedHashSet<>();
        if (touched.isEmpty()) {
            return judges;
        }
        try (PreparedStatement read = IdLookups.prepare(c, """
                SELECT j.generation_id, j.kind, j.criteria, j.scale_min, j.scale_max, g.status, g.error_kind,
                    g.error_message, g.output_text, g.attempt, g.updated_at,
                    g.words IS NOT NULL OR g.length_ratio IS NOT NULL OR g.repetition IS NOT NULL
                        OR g.refusal IS NOT NULL
                FROM apex_audition.judgments j JOIN apex_audition.generations g ON g.id = j.generation_id
                WHERE j.generation_id = ANY (?)""");
             PreparedStatement update = c.prepareStatement("""
                     UPDATE apex_audition.judgments AS j SET status = v.status, winner = v.winner, margin = v.margin,
                         scores = v.scores, rationale = v.rationale, problem = v.problem, attempt = v.attempt,
                         updated_at = GREATEST(j.updated_at, v.updated_at)
                     FROM (SELECT ?::text AS status, ?::text AS winner, ?::integer AS margin, ?::jsonb AS scores,
                                  ?::text AS rationale, ?::text AS problem, ?::integer AS attempt,
                                  ?::timestamptz AS updated_at) v
                     WHERE j.generation_id = ?
                       AND (j.status, j.winner, j.margin, j.scores, j.rationale, j.problem, j.attempt, j.updated_at)
                           IS DISTINCT FROM
                           (v.status, v.winner, v.margin, v.scores, v.rationale, v.problem, v.attempt,
                            GREATEST(j.updated_at, v.updated_at))""");
             PreparedStatement mark = c.prepareStatement("""
                     UPDATE apex_audition.generations SET status = 'error', error_kind = ?, error_message = ?
                     WHERE id = ? AND attempt = ? AND status = 'completed'""");
             PreparedStatement clear = c.prepareStatement("""
                     UPDATE apex_audition.generations SET words = NULL, length_ratio = NULL, repetition = NULL,
                         refusal = NULL
                     WHERE id = ?""")) {
            read.setArray(1, c.createArrayOf("text", touched.toArray()));
            boolean marks = false;
            boolean clears = false;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    judges.add(id);
                    Array criteria = rs.getArray(3);
                    int attempt = rs.getInt(10);
                    Timestamp at = rs.getTimestamp(11);
                    JudgmentReading reading = JudgmentReading.of(rs.getString(2),
                            criteria == null ? List.of() : Arrays.asList((String[]) criteria.getArray()),
                            (Integer) rs.getObject(4), (Integer) rs.getObject(5), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9));
                    ProjectionRepository.text(update, 1, reading.status());
                    ProjectionRepository.text(update, 2, reading.winner());
                    update.setObject(3, reading.margin(), Types.INTEGER);
                    ProjectionRepository.text(update, 4, reading.scores() == null ? null
                            : ProjectionRepository.json(reading.scoresForJson()));
                    ProjectionRepository.text(update, 5, reading.rationale());
                    ProjectionRepository.text(update, 6, reading.problem());
                    update.setInt(7, attempt);
                    update.setTimestamp(8, at);
                    ProjectionRepository.text(update, 9, id);
                    update.addBatch();
                    if (reading.markUnparseable()) {
                        ProjectionRepository.text(mark, 1, JudgmentReading.UNPARSEABLE_KIND);
                        ProjectionRepository.text(mark, 2, reading.problem());
                        ProjectionRepository.text(mark, 3, id);
                        mark.setInt(4, attempt);
                        mark.addBatch();
                        marks = true;
                    }
                    if (rs.getBoolean(12)) {
                        ProjectionRepository.text(clear, 1, id);
                        clear.addBatch();
                        clears = true;
                    }
                }
            }
            if (!judges.isEmpty()) {
                update.executeBatch();
            }
            if (marks) {
                mark.executeBatch();
            }
            if (clears) {
                clear.executeBatch();
            }
        }
        return judges;
    }

    // ---- writing diagnostics ----

    /**
     * The length ratio of outputs measured before the prompt version or the prompt was known: of the batch's outputs
     * and requests (a request brings the version) and of every output of a prompt the batch ingests.
     */
    private static void fillLengthRatios(Connection c, Set<String> outputs, Set<String> requested,
                                         Set<String> judges, List<PromptIngested> prompts) throws SQLException {
        Set<String> ids = new LinkedHashSet<>(outputs);
        ids.addAll(requested);
        ids.removeAll(judges);
        Map<String, PromptKey> unmeasured = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            try (PreparedStatement read = IdLookups.prepare(c, """
                    SELECT id, prompt_id, prompt_version FROM apex_audition.generations
                    WHERE id = ANY (?) AND words IS NOT NULL AND length_ratio IS NULL
                        AND prompt_version IS NOT NULL""")) {
                read.setArray(1, c.createArrayOf("text", ids.toArray()));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        unmeasured.put(rs.getString(1), new PromptKey(rs.getString(2), rs.getInt(3)));
                    }
                }
            }
        }
        Set<PromptKey> wanted = new LinkedHashSet<>(unmeasured.values());
        prompts.forEach(p -> wanted.add(new PromptKey(id(p.promptId()), p.version())));
        Map<PromptKey, String> texts = promptTexts(c, wanted);
        try (PreparedStatement fill = c.prepareStatement("""
                UPDATE apex_audition.generations SET length_ratio = words / ?::double precision
                WHERE id = ? AND words IS NOT NULL AND length_ratio IS NULL""");
             PreparedStatement fillPrompt = c.prepareStatement("""
                     UPDATE apex_audition.generations SET length_ratio = words / ?::double precision
                     WHERE prompt_id = ? AND prompt_version = ? AND words IS NOT NULL AND length_ratio IS NULL""")) {
            int fills = 0;
            for (Map.Entry<String, PromptKey> row : unmeasured.entrySet()) {
                Optional<Double> target = target(texts.get(row.getValue()));
                if (target.isPresent()) {
                    fill.setDouble(1, target.get());
                    ProjectionRepository.text(fill, 2, row.getKey());
                    fill.addBatch();
                    fills++;
                }
            }
            if (fills > 0) {
                fill.executeBatch();
            }
            // a prompt recorded after outputs of it (a rebuild reads the topics in any order): their ratio now
            for (PromptIngested p : prompts) {
                Optional<Double> target = target(texts.get(new PromptKey(id(p.promptId()), p.version())));
                if (target.isPresent()) {
                    fillPrompt.setDouble(1, target.get());
                    ProjectionRepository.text(fillPrompt, 2, p.promptId());
                    fillPrompt.setInt(3, p.version());
                    fillPrompt.executeUpdate();
                }
            }
        }
    }

    /**
     * {@code WritingDiagnostics.of(promptText, output, finishReason)}, with the prompt's requested length read once
     * per prompt text rather than once per output: reading it runs seven patterns over the whole prompt, which costs
     * more than measuring a short output, and a batch's outputs answer a handful of prompts.
     */
    static WritingDiagnostics diagnose(String promptText, String output, String finishReason) {
        WritingDiagnostics d = WritingDiagnostics.of(null, output, finishReason);
        RequestedLength requested = requestedLength(promptText).orElse(null);
        if (requested == null) {
            return d;
        }
        Double ratio = requested.target() <= 0 ? null : d.words() / requested.target();
        return new WritingDiagnostics(d.words(), requested, ratio, requested.admits(d.words()), d.repetition(),
                d.refusal(), d.finishReason());
    }

    /** The words a prompt asks for, as {@link WritingDiagnostics} divides by: absent when it names no length. */
    static Optional<Double> target(String promptText) {
        return requestedLength(promptText).map(RequestedLength::target).filter(t -> t > 0);
    }

    private static Optional<RequestedLength> requestedLength(String promptText) {
        if (promptText == null) {
            return Optional.empty();
        }
        if (REQUESTED_LENGTHS.size() > MAX_PROMPTS_KEPT) {
            REQUESTED_LENGTHS.clear(); // prompts are few; this bounds the map should anything write thousands
        }
        return REQUESTED_LENGTHS.computeIfAbsent(promptText, RequestedLength::in);
    }

    private static Map<PromptKey, String> promptTexts(Connection c, Set<PromptKey> keys) throws SQLException {
        Map<PromptKey, String> texts = new HashMap<>();
        if (keys.isEmpty()) {
            return texts;
        }
        try (PreparedStatement p = c.prepareStatement("""
                SELECT p.id, p.version, p.text
                FROM apex_audition.prompts p JOIN unnest(?::text[], ?::integer[]) AS k(id, version)
                    ON p.id = k.id AND p.version = k.version""")) {
            p.setArray(1, c.createArrayOf("text", keys.stream().map(PromptKey::id).toArray()));
            p.setArray(2, c.createArrayOf("integer", keys.stream().map(PromptKey::version).toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    texts.put(new PromptKey(rs.getString(1), rs.getInt(2)), rs.getString(3));
                }
            }
        }
        return texts;
    }

    private record PromptKey(String id, int version) {
    }

    /** An id as Postgres stores it, to compare with what it gives back. */
    private static String id(String value) {
        return PgText.storable(value);
    }

    private static long promptLock(String promptId) {
        return UUID.nameUUIDFromBytes(("apex_audition.prompts:" + promptId).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
    }
}
