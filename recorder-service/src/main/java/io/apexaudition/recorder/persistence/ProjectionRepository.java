package io.apexaudition.recorder.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.apexaudition.core.judging.WritingDiagnostics;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.VerdictRecorded;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes events into the {@code apex_audition} tables. Every statement is an upsert keyed by the event's
 * ids, so a redelivered or replayed event changes nothing, and a generation's status only moves forward
 * within an attempt (a later attempt starts a new lifecycle). One call is one database transaction.
 */
@ApplicationScoped
public class ProjectionRepository {
    private static final String UPSERT_GENERATION = """
            INSERT INTO apex_audition.generations AS g (id, run_id, condition_id, lane_id, prompt_id, prompt_version,
                replicate, attempt, provider, model, mode, batch_id, custom_id, status, output_text, finish_reason,
                input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cache_hit,
                cost_usd, error_kind, error_message, request_body, requested_at, completed_at, updated_at,
                output_text_exact, words, length_ratio, repetition, refusal)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                condition_id = COALESCE(EXCLUDED.condition_id, g.condition_id),
                prompt_version = COALESCE(EXCLUDED.prompt_version, g.prompt_version),
                replicate = COALESCE(EXCLUDED.replicate, g.replicate),
                attempt = EXCLUDED.attempt,
                provider = COALESCE(EXCLUDED.provider, g.provider),
                model = COALESCE(EXCLUDED.model, g.model),
                mode = COALESCE(EXCLUDED.mode, g.mode),
                batch_id = COALESCE(EXCLUDED.batch_id, g.batch_id),
                custom_id = COALESCE(EXCLUDED.custom_id, g.custom_id),
                status = EXCLUDED.status,
                output_text = COALESCE(EXCLUDED.output_text, g.output_text),
                output_text_exact = CASE WHEN EXCLUDED.output_text IS NOT NULL THEN EXCLUDED.output_text_exact
                                         ELSE g.output_text_exact END,
                words = CASE WHEN EXCLUDED.output_text IS NOT NULL THEN EXCLUDED.words ELSE g.words END,
                length_ratio = CASE WHEN EXCLUDED.output_text IS NOT NULL THEN EXCLUDED.length_ratio
                                    ELSE g.length_ratio END,
                repetition = CASE WHEN EXCLUDED.output_text IS NOT NULL THEN EXCLUDED.repetition ELSE g.repetition END,
                refusal = CASE WHEN EXCLUDED.output_text IS NOT NULL THEN EXCLUDED.refusal ELSE g.refusal END,
                finish_reason = COALESCE(EXCLUDED.finish_reason, g.finish_reason),
                input_tokens = COALESCE(EXCLUDED.input_tokens, g.input_tokens),
                cached_input_tokens = COALESCE(EXCLUDED.cached_input_tokens, g.cached_input_tokens),
                cache_write_tokens = COALESCE(EXCLUDED.cache_write_tokens, g.cache_write_tokens),
                output_tokens = COALESCE(EXCLUDED.output_tokens, g.output_tokens),
                reasoning_tokens = COALESCE(EXCLUDED.reasoning_tokens, g.reasoning_tokens),
                cache_hit = EXCLUDED.cache_hit OR (g.cache_hit AND EXCLUDED.attempt = g.attempt),
                cost_usd = COALESCE(EXCLUDED.cost_usd, g.cost_usd),
                error_kind = EXCLUDED.error_kind,
                error_message = EXCLUDED.error_message,
                request_body = COALESCE(EXCLUDED.request_body, g.request_body),
                requested_at = COALESCE(g.requested_at, EXCLUDED.requested_at),
                completed_at = COALESCE(EXCLUDED.completed_at, g.completed_at),
                updated_at = GREATEST(EXCLUDED.updated_at, g.updated_at)
            WHERE EXCLUDED.attempt > g.attempt
               OR (EXCLUDED.attempt = g.attempt
                   AND apex_audition.status_rank(EXCLUDED.status) >= apex_audition.status_rank(g.status))
            """;

    /** JSON for jsonb columns: every string in it made storable, since jsonb refuses the escape of NUL too. */
    private static final ObjectMapper JSONB = EventJson.mapper().copy().registerModule(new SimpleModule()
            .addSerializer(String.class, new StdSerializer<>(String.class) {
                @Override
                public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
                        throws java.io.IOException {
                    gen.writeString(PgText.storable(value));
                }
            })
            .addKeySerializer(String.class, new StdSerializer<>(String.class) {
                @Override
                public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
                        throws java.io.IOException {
                    gen.writeFieldName(PgText.storable(value));
                }
            }));

    private final DataSource dataSource;

    public ProjectionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a batch of events in one transaction; on failure nothing of it is written. */
    public void record(List<ApexEvent> events) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statements s = new Statements(c)) {
                s.diagnostics = OutputProjection.measure(c, events);
                for (ApexEvent event : events) {
                    write(s, event);
                }
                s.executeAll();
                OutputProjection.project(c, events);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Parks a record no consumer could read, keyed by its position so a replay parks it once. */
    public void recordUnreadable(String consumer, String topic, int partition, long offset, String key, String reason,
                                 String payload, Instant recordTime) throws SQLException {
        record(List.of(DeadLettered.parked(consumer, topic, partition, offset, key, reason, EventJson.echo(payload),
                recordTime)));
    }

    /** Empties every projected table (not Flyway's history), before a rebuild replays the topics into them. */
    public void truncateAll() throws SQLException {
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("TRUNCATE apex_audition.runs, apex_audition.conditions, apex_audition.prompts, "
                    + "apex_audition.batches, apex_audition.generations, apex_audition.dead_letters, "
                    + "apex_audition.dispatch_intents, apex_audition.generation_attempts, apex_audition.verdicts, "
                    + "apex_audition.judgments");
        }
    }

    private void write(Statements s, ApexEvent event) throws SQLException {
        if (event instanceof GenerationRequested e) {
            PreparedStatement p = s.generationRequested;
            text(p, 1, e.generationId());
            text(p, 2, e.runId());
            text(p, 3, e.conditionId());
            text(p, 4, e.conditionSlug());
            text(p, 5, e.promptId());
            p.setInt(6, e.promptVersion());
            p.setInt(7, e.replicate());
            p.setInt(8, e.attempt());
            text(p, 9, e.provider());
            text(p, 10, e.model());
            text(p, 11, e.mode().name().toLowerCase());
            text(p, 12, e.customId());
            p.setTimestamp(13, ts(e.occurredAt()));
            p.addBatch();
        } else if (event instanceof GenerationCompleted e) {
            generation(s.generations, e.generationId(), e.runId(), e.conditionId(), e.conditionSlug(), e.promptId(),
                    e.promptVersion() == 0 ? null : e.promptVersion(), null, e.attempt(), e.provider(), e.model(),
                    e.mode() == null ? null : e.mode().name(), e.batchId(), e.customId(), e.status(), e.occurredAt());
            text(s.generations, 15, e.outputText());
            s.generations.setString(30, PgText.exact(e.outputText()));
            text(s.generations, 16, e.finishReason());
            boolean usage = e.status() == GenerationStatus.COMPLETED;
            setLong(s.generations, 17, usage ? e.usage().inputTokens() : null);
            setLong(s.generations, 18, usage ? e.usage().cachedInputTokens() : null);
            setLong(s.generations, 19, usage ? e.usage().cacheWriteTokens() : null);
            setLong(s.generations, 20, usage ? e.usage().outputTokens() : null);
            setLong(s.generations, 21, usage ? e.usage().reasoningTokens() : null);
            s.generations.setBoolean(22, e.cacheHit());
            s.generations.setBigDecimal(23, e.costUsd());
            text(s.generations, 24, e.errorKind() == null ? null : e.errorKind().name().toLowerCase());
            text(s.generations, 25, e.errorMessage());
            text(s.generations, 26, e.requestBody());
            s.generations.setNull(27, Types.TIMESTAMP_WITH_TIMEZONE);
            s.generations.setTimestamp(28, ts(e.occurredAt()));
            OutputProjection.bind(s.generations, 31, s.diagnostics.get(e));
            s.generations.addBatch();
            PreparedStatement a = s.attempt;
            text(a, 1, e.generationId());
            a.setInt(2, e.attempt());
            text(a, 3, e.runId());
            text(a, 4, e.conditionSlug());
            text(a, 5, e.promptId());
            text(a, 6, e.mode() == null ? null : e.mode().name().toLowerCase());
            text(a, 7, e.batchId());
            text(a, 8, e.status().dbValue());
            text(a, 9, e.errorKind() == null ? null : e.errorKind().name().toLowerCase());
            text(a, 10, e.errorMessage());
            setLong(a, 11, usage ? e.usage().outputTokens() : null);
            a.setBigDecimal(12, e.costUsd());
            a.setTimestamp(13, ts(e.occurredAt()));
            a.addBatch();
        } else if (event instanceof BatchSubmitted e) {
            text(s.batchSubmitted, 1, e.batchId());
            text(s.batchSubmitted, 2, e.provider());
            text(s.batchSubmitted, 3, e.runId());
            text(s.batchSubmitted, 4, e.model());
            text(s.batchSubmitted, 5, e.intentId());
            text(s.batchSubmitted, 6, e.inputFileId());
            s.batchSubmitted.setInt(7, e.entries().size());
            s.batchSubmitted.setTimestamp(8, ts(e.occurredAt()));
            s.batchSubmitted.addBatch();
            text(s.intentSubmitted, 1, e.intentId());
            text(s.intentSubmitted, 2, e.provider());
            text(s.intentSubmitted, 3, e.runId());
            text(s.intentSubmitted, 4, e.model());
            s.intentSubmitted.setInt(5, e.entries().size());
            text(s.intentSubmitted, 6, e.batchId());
            s.intentSubmitted.setTimestamp(7, ts(e.occurredAt()));
            s.intentSubmitted.setTimestamp(8, ts(e.occurredAt()));
            s.intentSubmitted.addBatch();
            for (var entry : e.entries()) {
                PreparedStatement p = s.generationSubmitted;
                text(p, 1, entry.generationId());
                text(p, 2, e.runId());
                text(p, 3, entry.conditionId());
                text(p, 4, entry.conditionSlug());
                text(p, 5, entry.promptId());
                p.setInt(6, entry.attempt());
                text(p, 7, e.provider());
                text(p, 8, e.model());
                text(p, 9, e.batchId());
                text(p, 10, entry.customId());
                text(p, 11, entry.requestBody());
                p.setTimestamp(12, ts(e.occurredAt()));
                p.addBatch();
            }
        } else if (event instanceof BatchStatusChanged e) {
            text(s.batchStatus, 1, e.batchId());
            text(s.batchStatus, 2, e.provider());
            text(s.batchStatus, 3, e.runId());
            text(s.batchStatus, 4, e.status());
            s.batchStatus.setBoolean(5, e.terminal());
            text(s.batchStatus, 6, json(e.requestCounts()));
            text(s.batchStatus, 7, e.message());
            s.batchStatus.setTimestamp(8, ts(e.occurredAt()));
            s.batchStatus.addBatch();
        } else if (event instanceof RunAccepted e) {
            text(s.runAccepted, 1, e.runId());
            text(s.runAccepted, 2, e.mode().name().toLowerCase());
            s.runAccepted.setBoolean(3, e.dryRun());
            s.runAccepted.setBoolean(4, e.verifyFirst());
            s.runAccepted.setBoolean(5, e.cache());
            if (e.limit() == null) {
                s.runAccepted.setNull(6, Types.INTEGER);
            } else {
                s.runAccepted.setInt(6, e.limit());
            }
            s.runAccepted.setInt(7, e.replicates());
            text(s.runAccepted, 8, e.createdBy());
            text(s.runAccepted, 9, e.notes());
            s.runAccepted.setInt(10, e.expectedGenerations());
            text(s.runAccepted, 11, json(e.lanes()));
            s.runAccepted.setTimestamp(12, ts(e.occurredAt()));
            s.runAccepted.addBatch();
        } else if (event instanceof RunRejected e) {
            text(s.runRejected, 1, e.runId());
            text(s.runRejected, 2, e.reason());
            text(s.runRejected, 3, json(e.problems()));
            text(s.runRejected, 4, e.rawCommand());
            s.runRejected.setTimestamp(5, ts(e.occurredAt()));
            s.runRejected.addBatch();
        } else if (event instanceof RunCompleted e) {
            text(s.runCompleted, 1, e.runId());
            s.runCompleted.setInt(2, e.completed());
            s.runCompleted.setInt(3, e.errors());
            s.runCompleted.setInt(4, e.dryRun());
            s.runCompleted.setBigDecimal(5, e.costUsd());
            s.runCompleted.setTimestamp(6, ts(e.occurredAt()));
            s.runCompleted.setInt(7, e.expectedGenerations());
            s.runCompleted.addBatch();
        } else if (event instanceof LaneRegistered e) {
            text(s.condition, 1, e.conditionId());
            text(s.condition, 2, e.slug());
            s.condition.setInt(3, e.version());
            text(s.condition, 4, e.provider());
            text(s.condition, 5, e.model());
            text(s.condition, 6, e.apiModelId());
            text(s.condition, 7, json(e.parameters()));
            text(s.condition, 8, e.configHash());
            text(s.condition, 9, e.description());
            s.condition.setTimestamp(10, ts(e.occurredAt()));
            s.condition.addBatch();
        } else if (event instanceof PromptIngested e) {
            text(s.prompt, 1, e.promptId());
            s.prompt.setInt(2, e.version());
            text(s.prompt, 3, e.contentHash());
            text(s.prompt, 4, e.title());
            text(s.prompt, 5, e.genre());
            text(s.prompt, 6, e.text());
            text(s.prompt, 7, e.sharedContext());
            s.prompt.setTimestamp(8, ts(e.occurredAt()));
            s.prompt.addBatch();
        } else if (event instanceof DeadLettered e) {
            text(s.deadLetter, 1, e.eventId());
            text(s.deadLetter, 2, e.consumer());
            text(s.deadLetter, 3, e.sourceTopic());
            s.deadLetter.setInt(4, e.partition());
            s.deadLetter.setLong(5, e.offset());
            text(s.deadLetter, 6, e.sourceKey());
            text(s.deadLetter, 7, e.reason());
            text(s.deadLetter, 8, e.payload());
            s.deadLetter.setTimestamp(9, ts(e.occurredAt()));
            s.deadLetter.addBatch();
        } else if (event instanceof DispatchIntended e) {
            text(s.intent, 1, e.intentId());
            text(s.intent, 2, e.provider());
            text(s.intent, 3, e.runId());
            text(s.intent, 4, e.conditionSlug());
            text(s.intent, 5, e.model());
            text(s.intent, 6, e.kind().name().toLowerCase());
            s.intent.setInt(7, e.chunk());
            s.intent.setInt(8, e.customIds().size());
            s.intent.setTimestamp(9, ts(e.occurredAt()));
            s.intent.addBatch();
        } else if (event instanceof DispatchSettled e) {
            s.intentSettled.setTimestamp(1, ts(e.occurredAt()));
            s.intentSettled.setBoolean(2, e.succeeded());
            text(s.intentSettled, 3, e.message());
            text(s.intentSettled, 4, e.intentId());
            s.intentSettled.addBatch();
        } else if (event instanceof VerdictRecorded e) {
            verdict(s, e);
        }
        // RunRequested is the planner's input, recorded through its verdict (RunAccepted / RunRejected)
    }

    /** A verdict, once: the first record of a verdict id wins, so a verdict sent twice or replayed is one row. */
    private static void verdict(Statements s, VerdictRecorded e) throws SQLException {
        PreparedStatement p = s.verdict;
        boolean pairwise = e.kind() == VerdictRecorded.Kind.PAIRWISE;
        text(p, 1, e.verdictId());
        text(p, 2, e.runId());
        text(p, 3, e.promptId());
        text(p, 4, e.kind().name().toLowerCase());
        text(p, 5, pairwise ? e.generationA() : null);
        text(p, 6, pairwise ? e.generationB() : null);
        text(p, 7, pairwise ? e.winner().name().toLowerCase() : null);
        if (pairwise) {
            p.setNull(8, Types.ARRAY);
        } else {
            p.setArray(8, s.connection.createArrayOf("text",
                    e.ranking().stream().map(PgText::storable).toArray(String[]::new)));
        }
        text(p, 9, e.reader());
        p.setBoolean(10, e.blind());
        p.setTimestamp(11, ts(e.occurredAt()));
        text(p, 12, e.eventId());
        p.addBatch();
    }

    private static void generation(PreparedStatement p, String id, String runId, String conditionId, String slug,
                                   String promptId, Integer promptVersion, Integer replicate, int attempt,
                                   String provider, String model, String mode, String batchId, String customId,
                                   GenerationStatus status, Instant at) throws SQLException {
        text(p, 1, id);
        text(p, 2, runId);
        text(p, 3, conditionId);
        text(p, 4, slug);
        text(p, 5, promptId);
        setInt(p, 6, promptVersion);
        setInt(p, 7, replicate);
        p.setInt(8, attempt);
        text(p, 9, provider);
        text(p, 10, model);
        text(p, 11, mode == null ? null : mode.toLowerCase());
        text(p, 12, batchId);
        text(p, 13, customId);
        text(p, 14, status.dbValue());
        p.setTimestamp(29, ts(at));
    }

    private static void setInt(PreparedStatement p, int index, Integer value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.INTEGER);
        } else {
            p.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement p, int index, Long value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.BIGINT);
        } else {
            p.setLong(index, value);
        }
    }

    /** Binds text as Postgres can store it ({@link PgText}): a NUL must not turn a whole batch into an outage. */
    static void text(PreparedStatement p, int index, String value) throws SQLException {
        p.setString(index, PgText.storable(value));
    }

    static Timestamp ts(Instant at) {
        return Timestamp.from(at == null ? Instant.EPOCH : at);
    }

    static String json(Object value) {
        try {
            return JSONB.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write JSON column", e);
        }
    }

    /** The prepared statements of one transaction, executed in an order that respects foreign facts. */
    private static final class Statements implements AutoCloseable {
        final PreparedStatement condition;
        final PreparedStatement prompt;
        final PreparedStatement runAccepted;
        final PreparedStatement runRejected;
        final PreparedStatement runCompleted;
        final PreparedStatement batchSubmitted;
        final PreparedStatement batchStatus;
        final PreparedStatement generationRequested;
        final PreparedStatement generations;
        final PreparedStatement generationSubmitted;
        final PreparedStatement deadLetter;
        final PreparedStatement intent;
        final PreparedStatement intentSubmitted;
        final PreparedStatement intentSettled;
        final PreparedStatement attempt;
        final PreparedStatement verdict;
        final Connection connection;
        /** The writing diagnostics of the batch's ordinary outputs, measured before they are written. */
        Map<GenerationCompleted, WritingDiagnostics> diagnostics = Map.of();

        Statements(Connection c) throws SQLException {
            connection = c;
            condition = c.prepareStatement("""
                    INSERT INTO apex_audition.conditions (id, slug, version, provider, model, api_model_id, parameters,
                        config_hash, description, registered_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING""");
            prompt = c.prepareStatement("""
                    INSERT INTO apex_audition.prompts (id, version, content_hash, title, genre, text, shared_context,
                        ingested_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
            runAccepted = c.prepareStatement("""
                    INSERT INTO apex_audition.runs AS r (id, status, mode, dry_run, verify_first, cache, prompt_limit,
                        replicates, created_by, notes, expected_generations, lanes, accepted_at)
                    VALUES (?, 'accepted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                    ON CONFLICT (id) DO UPDATE SET mode = EXCLUDED.mode, dry_run = EXCLUDED.dry_run,
                        verify_first = EXCLUDED.verify_first, cache = EXCLUDED.cache,
                        prompt_limit = EXCLUDED.prompt_limit, replicates = EXCLUDED.replicates,
                        created_by = EXCLUDED.created_by, notes = EXCLUDED.notes,
                        expected_generations = EXCLUDED.expected_generations, lanes = EXCLUDED.lanes,
                        accepted_at = EXCLUDED.accepted_at""");
            runRejected = c.prepareStatement("""
                    INSERT INTO apex_audition.runs (id, status, reason, problems, raw_command, rejected_at)
                    VALUES (?, 'rejected', ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING""");
            runCompleted = c.prepareStatement("""
                    INSERT INTO apex_audition.runs AS r (id, status, completed_count, error_count, dry_run_count,
                        cost_usd, completed_at, expected_generations)
                    VALUES (?, 'completed', ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = 'completed', completed_count = EXCLUDED.completed_count,
                        error_count = EXCLUDED.error_count, dry_run_count = EXCLUDED.dry_run_count,
                        cost_usd = EXCLUDED.cost_usd, completed_at = EXCLUDED.completed_at""");
            batchSubmitted = c.prepareStatement("""
                    INSERT INTO apex_audition.batches AS b (id, provider, run_id, model, intent_id, input_file_id,
                        status, request_count, submitted_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, to_timestamp(0))
                    ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id, model = EXCLUDED.model,
                        intent_id = EXCLUDED.intent_id, input_file_id = EXCLUDED.input_file_id,
                        request_count = EXCLUDED.request_count, submitted_at = EXCLUDED.submitted_at""");
            batchStatus = c.prepareStatement("""
                    INSERT INTO apex_audition.batches AS b (id, provider, run_id, status, terminal, request_counts,
                        message, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, terminal = EXCLUDED.terminal,
                        request_counts = EXCLUDED.request_counts, message = EXCLUDED.message,
                        updated_at = EXCLUDED.updated_at
                    WHERE NOT b.terminal AND EXCLUDED.updated_at >= b.updated_at""");
            generations = c.prepareStatement(UPSERT_GENERATION);
            // a request only enriches a row it finds, unless it is a newer attempt, which starts over
            generationRequested = c.prepareStatement("""
                    INSERT INTO apex_audition.generations AS g (id, run_id, condition_id, lane_id, prompt_id,
                        prompt_version, replicate, attempt, provider, model, mode, custom_id, status, requested_at,
                        updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, to_timestamp(0))
                    ON CONFLICT (id) DO UPDATE SET
                        prompt_version = COALESCE(g.prompt_version, EXCLUDED.prompt_version),
                        replicate = COALESCE(g.replicate, EXCLUDED.replicate),
                        condition_id = COALESCE(g.condition_id, EXCLUDED.condition_id),
                        provider = COALESCE(g.provider, EXCLUDED.provider),
                        model = COALESCE(g.model, EXCLUDED.model),
                        mode = COALESCE(g.mode, EXCLUDED.mode),
                        requested_at = CASE WHEN EXCLUDED.attempt > g.attempt THEN EXCLUDED.requested_at
                                            ELSE COALESCE(g.requested_at, EXCLUDED.requested_at) END,
                        status = CASE WHEN EXCLUDED.attempt > g.attempt THEN 'requested' ELSE g.status END,
                        custom_id = CASE WHEN EXCLUDED.attempt > g.attempt THEN EXCLUDED.custom_id
                                         ELSE COALESCE(g.custom_id, EXCLUDED.custom_id) END,
                        error_kind = CASE WHEN EXCLUDED.attempt > g.attempt THEN NULL ELSE g.error_kind END,
                        error_message = CASE WHEN EXCLUDED.attempt > g.attempt THEN NULL ELSE g.error_message END,
                        attempt = GREATEST(g.attempt, EXCLUDED.attempt)""");
            // a submission always enriches the row (batch, custom id, body as sent), whichever event came first;
            // its status only moves forward, so a replay in another order converges on the same row
            generationSubmitted = c.prepareStatement("""
                    INSERT INTO apex_audition.generations AS g (id, run_id, condition_id, lane_id, prompt_id, attempt,
                        provider, model, mode, batch_id, custom_id, status, request_body, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'batch', ?, ?, 'submitted', ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        status = CASE WHEN EXCLUDED.attempt > g.attempt
                                        OR (EXCLUDED.attempt = g.attempt AND apex_audition.status_rank(g.status) <= 2)
                                      THEN 'submitted' ELSE g.status END,
                        attempt = GREATEST(g.attempt, EXCLUDED.attempt),
                        batch_id = CASE WHEN EXCLUDED.attempt >= g.attempt THEN EXCLUDED.batch_id ELSE g.batch_id END,
                        custom_id = CASE WHEN EXCLUDED.attempt >= g.attempt THEN EXCLUDED.custom_id ELSE g.custom_id END,
                        request_body = CASE WHEN EXCLUDED.attempt >= g.attempt THEN EXCLUDED.request_body
                                            ELSE g.request_body END,
                        updated_at = GREATEST(EXCLUDED.updated_at, g.updated_at)""");
            deadLetter = c.prepareStatement("""
                    INSERT INTO apex_audition.dead_letters (id, consumer, source_topic, partition, "offset",
                        source_key, reason, payload, occurred_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
            intent = c.prepareStatement("""
                    INSERT INTO apex_audition.dispatch_intents AS i (id, provider, run_id, lane_id, model, kind, chunk,
                        request_count, intended_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET lane_id = EXCLUDED.lane_id, kind = EXCLUDED.kind,
                        chunk = EXCLUDED.chunk, intended_at = LEAST(i.intended_at, EXCLUDED.intended_at)""");
            // a submission can be recorded before its intent (another batch of the consumer): both orders converge
            intentSubmitted = c.prepareStatement("""
                    INSERT INTO apex_audition.dispatch_intents AS i (id, provider, run_id, model, kind, chunk,
                        request_count, batch_id, intended_at, submitted_at)
                    VALUES (?, ?, ?, ?, 'batch', 0, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET batch_id = EXCLUDED.batch_id, submitted_at = EXCLUDED.submitted_at""");
            attempt = c.prepareStatement("""
                    INSERT INTO apex_audition.generation_attempts (generation_id, attempt, run_id, lane_id, prompt_id,
                        mode, batch_id, status, error_kind, error_message, output_tokens, cost_usd, ended_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
            intentSettled = c.prepareStatement("""
                    UPDATE apex_audition.dispatch_intents SET settled_at = ?, succeeded = ?, message = ? WHERE id = ?""");
            verdict = c.prepareStatement("""
                    INSERT INTO apex_audition.verdicts (verdict_id, run_id, prompt_id, kind, generation_a, generation_b,
                        winner, ranking, reader, blind, occurred_at, event_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (verdict_id) DO NOTHING""");
        }

        void executeAll() throws SQLException {
            for (PreparedStatement p : List.of(condition, prompt, runAccepted, runRejected, intent, batchSubmitted,
                    intentSubmitted, intentSettled, batchStatus, generationRequested, generations, generationSubmitted,
                    attempt, runCompleted, deadLetter, verdict)) {
                p.executeBatch();
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement p : List.of(condition, prompt, runAccepted, runRejected, runCompleted,
                    batchSubmitted, batchStatus, generationRequested, generations, generationSubmitted, deadLetter,
                    intent, intentSubmitted, intentSettled, attempt, verdict)) {
                p.close();
            }
        }
    }
}
