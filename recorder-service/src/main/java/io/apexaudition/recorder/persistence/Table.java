package io.apexaudition.recorder.persistence;

import java.util.Arrays;
import java.util.List;

/**
 * Every statement the projection writes with, in the order a transaction executes them (facts before what refers
 * to them: lanes, prompts, request bodies and runs, then intents and batches, then generations and their attempts). Each is an
 * {@code INSERT ... VALUES (?, ...)} upsert keyed by the event's ids, but for {@link #INTENT_SETTLED}. A statement
 * with column types can also be run from a staging table ({@link StagedRows}): the same {@code ON CONFLICT}
 * clause applied to many rows in one statement, which is what makes a rebuild fast and keeps it identical.
 */
enum Table {
    /** A lane version (LaneRegistered), first write wins. */
    CONDITION("""
            INSERT INTO apex_audition.conditions (id, slug, version, provider, model, api_model_id, parameters,
                config_hash, description, registered_at)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING""", null, 0),

    /** A prompt version (PromptIngested), first write wins. */
    PROMPT("""
            INSERT INTO apex_audition.prompts (id, version, content_hash, title, genre, text, shared_context,
                ingested_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", null, 0),

    /** A long text bodies name (LongTextStored): a hash has one text, so the first write is the only one. */
    LONG_TEXT("""
            INSERT INTO apex_audition.long_texts (text_hash, escaped)
            VALUES (?, ?) ON CONFLICT (text_hash) DO NOTHING""", null, 0),

    /**
     * A request body under its hash (RequestBodyStored), perhaps with its long text cut out: a hash has one body, so
     * the first write is the only one.
     */
    REQUEST_BODY("""
            INSERT INTO apex_audition.request_bodies (body_hash, body, text_hash, text_at)
            VALUES (?, ?, ?, ?) ON CONFLICT (body_hash) DO NOTHING""", null, 0),

    /** A run the planner accepted. */
    RUN_ACCEPTED("""
            INSERT INTO apex_audition.runs AS r (id, status, mode, dry_run, verify_first, cache, prompt_limit,
                replicates, created_by, notes, expected_generations, lanes, accepted_at)
            VALUES (?, 'accepted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (id) DO UPDATE SET mode = EXCLUDED.mode, dry_run = EXCLUDED.dry_run,
                verify_first = EXCLUDED.verify_first, cache = EXCLUDED.cache,
                prompt_limit = EXCLUDED.prompt_limit, replicates = EXCLUDED.replicates,
                created_by = EXCLUDED.created_by, notes = EXCLUDED.notes,
                expected_generations = EXCLUDED.expected_generations, lanes = EXCLUDED.lanes,
                accepted_at = EXCLUDED.accepted_at""", null, 0),

    /** A run the planner refused. */
    RUN_REJECTED("""
            INSERT INTO apex_audition.runs (id, status, reason, problems, raw_command, rejected_at)
            VALUES (?, 'rejected', ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING""", null, 0),

    /** A dispatcher's intent to submit or call. */
    INTENT("""
            INSERT INTO apex_audition.dispatch_intents AS i (id, provider, run_id, lane_id, model, kind, chunk,
                request_count, intended_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET lane_id = EXCLUDED.lane_id, kind = EXCLUDED.kind,
                chunk = EXCLUDED.chunk, intended_at = LEAST(i.intended_at, EXCLUDED.intended_at)""", null, 0),

    /** A provider batch as submitted. */
    BATCH_SUBMITTED("""
            INSERT INTO apex_audition.batches AS b (id, provider, run_id, model, intent_id, input_file_id,
                status, request_count, submitted_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, to_timestamp(0))
            ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id, model = EXCLUDED.model,
                intent_id = EXCLUDED.intent_id, input_file_id = EXCLUDED.input_file_id,
                request_count = EXCLUDED.request_count, submitted_at = EXCLUDED.submitted_at""",
            null, 0),

    /** The submission of a batch intent, before or after the intent. */
    INTENT_SUBMITTED("""
            INSERT INTO apex_audition.dispatch_intents AS i (id, provider, run_id, model, kind, chunk,
                request_count, batch_id, intended_at, submitted_at)
            VALUES (?, ?, ?, ?, 'batch', 0, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET batch_id = EXCLUDED.batch_id, submitted_at = EXCLUDED.submitted_at""",
            null, 0),

    /** How an intent settled. */
    INTENT_SETTLED("""
            UPDATE apex_audition.dispatch_intents SET settled_at = ?, succeeded = ?, message = ? WHERE id = ?""",
            null, 0),

    /** A batch's status as polled; a terminal status is final. */
    BATCH_STATUS("""
            INSERT INTO apex_audition.batches AS b (id, provider, run_id, status, terminal, request_counts,
                message, updated_at)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, terminal = EXCLUDED.terminal,
                request_counts = EXCLUDED.request_counts, message = EXCLUDED.message,
                updated_at = EXCLUDED.updated_at
            WHERE NOT b.terminal AND EXCLUDED.updated_at >= b.updated_at""", null, 0),

    /**
     * A request only enriches a row it finds, unless it is a newer attempt, which starts over. {@code requested_at}
     * is the request time of the row's attempt: a newer attempt's submission or result clears it, and an older
     * attempt's request does not fill it (else a retry's row would keep the first request's time whenever the
     * retry's result was read before its request).
     */
    GENERATION_REQUESTED("""
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
                                    WHEN EXCLUDED.attempt = g.attempt
                                        THEN COALESCE(g.requested_at, EXCLUDED.requested_at)
                                    ELSE g.requested_at END,
                status = CASE WHEN EXCLUDED.attempt > g.attempt THEN 'requested' ELSE g.status END,
                custom_id = CASE WHEN EXCLUDED.attempt > g.attempt THEN EXCLUDED.custom_id
                                 ELSE COALESCE(g.custom_id, EXCLUDED.custom_id) END,
                error_kind = CASE WHEN EXCLUDED.attempt > g.attempt THEN NULL ELSE g.error_kind END,
                error_message = CASE WHEN EXCLUDED.attempt > g.attempt THEN NULL ELSE g.error_message END,
                attempt = GREATEST(g.attempt, EXCLUDED.attempt)""",
            "text,text,text,text,text,integer,integer,integer,text,text,text,text,timestamptz",
            1),

    /** A result; a generation's status only moves forward within an attempt, and a later attempt starts over. */
    GENERATION_COMPLETED("""
            INSERT INTO apex_audition.generations AS g (id, run_id, condition_id, lane_id, prompt_id, prompt_version,
                replicate, attempt, provider, model, mode, batch_id, custom_id, status, output_text, finish_reason,
                input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cache_hit,
                cost_usd, error_kind, error_message, request_body_hash, requested_at, completed_at, updated_at,
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
                request_body_hash = EXCLUDED.request_body_hash,
                requested_at = CASE WHEN EXCLUDED.attempt > g.attempt THEN EXCLUDED.requested_at
                                    ELSE COALESCE(g.requested_at, EXCLUDED.requested_at) END,
                completed_at = COALESCE(EXCLUDED.completed_at, g.completed_at),
                updated_at = GREATEST(EXCLUDED.updated_at, g.updated_at)
            WHERE EXCLUDED.attempt > g.attempt
               OR (EXCLUDED.attempt = g.attempt
                   AND apex_audition.status_rank(EXCLUDED.status) >= apex_audition.status_rank(g.status))
            """,
            "text,text,text,text,text,integer,integer,integer,text,text,text,text,text,text,text,text,bigint,"
                    + "bigint,bigint,bigint,bigint,boolean,numeric,text,text,text,timestamptz,timestamptz,"
                    + "timestamptz,text,integer,double precision,double precision,boolean",
            1),

    /**
     * A submission always enriches the row (batch, custom id, the hash of the body as sent), whichever event came
     * first; its status only moves forward, so a replay in another order converges on the same row.
     */
    GENERATION_SUBMITTED("""
            INSERT INTO apex_audition.generations AS g (id, run_id, condition_id, lane_id, prompt_id, attempt,
                provider, model, mode, batch_id, custom_id, status, request_body_hash, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'batch', ?, ?, 'submitted', ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                status = CASE WHEN EXCLUDED.attempt > g.attempt
                                OR (EXCLUDED.attempt = g.attempt AND apex_audition.status_rank(g.status) <= 2)
                              THEN 'submitted' ELSE g.status END,
                attempt = GREATEST(g.attempt, EXCLUDED.attempt),
                requested_at = CASE WHEN EXCLUDED.attempt > g.attempt THEN NULL ELSE g.requested_at END,
                batch_id = CASE WHEN EXCLUDED.attempt >= g.attempt THEN EXCLUDED.batch_id ELSE g.batch_id END,
                custom_id = CASE WHEN EXCLUDED.attempt >= g.attempt THEN EXCLUDED.custom_id ELSE g.custom_id END,
                request_body_hash = CASE WHEN EXCLUDED.attempt >= g.attempt THEN EXCLUDED.request_body_hash
                                         ELSE g.request_body_hash END,
                updated_at = GREATEST(EXCLUDED.updated_at, g.updated_at)""",
            "text,text,text,text,text,integer,text,text,text,text,text,timestamptz",
            1),

    /** An attempt as it ended: the first record of it wins. */
    ATTEMPT("""
            INSERT INTO apex_audition.generation_attempts (generation_id, attempt, run_id, lane_id, prompt_id,
                mode, batch_id, status, error_kind, error_message, output_tokens, cost_usd, ended_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            "text,integer,text,text,text,text,text,text,text,text,bigint,numeric,timestamptz",
            2),

    /** A run's totals once complete. */
    RUN_COMPLETED("""
            INSERT INTO apex_audition.runs AS r (id, status, completed_count, error_count, dry_run_count,
                cost_usd, completed_at, expected_generations)
            VALUES (?, 'completed', ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET status = 'completed', completed_count = EXCLUDED.completed_count,
                error_count = EXCLUDED.error_count, dry_run_count = EXCLUDED.dry_run_count,
                cost_usd = EXCLUDED.cost_usd, completed_at = EXCLUDED.completed_at""", null, 0),

    /** A parked record, once. */
    DEAD_LETTER("""
            INSERT INTO apex_audition.dead_letters (id, consumer, source_topic, partition, "offset",
                source_key, reason, payload, occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", null, 0),

    /** A reader's verdict: the first record of a verdict id wins. */
    VERDICT("""
            INSERT INTO apex_audition.verdicts (verdict_id, run_id, prompt_id, kind, generation_a, generation_b,
                winner, ranking, reader, blind, occurred_at, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (verdict_id) DO NOTHING""", null, 0);

    private final String sql;
    private final List<String> stageTypes;
    private final int keyArity;

    Table(String sql, String stageTypes, int keyArity) {
        this.sql = sql;
        this.stageTypes = stageTypes == null ? null : Arrays.asList(stageTypes.split(","));
        this.keyArity = keyArity;
    }

    /** The statement, with one {@code ?} per value. */
    String sql() {
        return sql;
    }

    /** Whether the statement can be run from a staging table. */
    boolean stageable() {
        return stageTypes != null;
    }

    /** The SQL types of the statement's parameters, in order (for its staging table). */
    List<String> stageTypes() {
        return stageTypes;
    }

    /** How many leading parameters make the conflict key: no two rows of one staged statement may share it. */
    int keyArity() {
        return keyArity;
    }
}
