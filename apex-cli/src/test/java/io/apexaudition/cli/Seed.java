package io.apexaudition.cli;

import io.apexaudition.testsupport.Database;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** Rows in apex_audition as the recorder writes them, for the CLI's tests. */
final class Seed {
    private static final Timestamp NOW = Timestamp.from(Instant.parse("2026-11-30T12:00:00Z"));
    private final Database db;

    Seed(Database db) {
        this.db = db;
    }

    Seed run(String id, String status, int expected) {
        return sql("INSERT INTO apex_audition.runs (id, status, mode, expected_generations, reason) "
                + "VALUES (?, ?, 'batch', ?, ?)", id, status, expected, "rejected".equals(status) ? "a reason" : null);
    }

    Seed prompt(String id, int version, String text) {
        return sql("INSERT INTO apex_audition.prompts (id, version, content_hash, text, ingested_at) "
                + "VALUES (?, ?, 'hash', ?, ?)", id, version, text, NOW);
    }

    Seed condition(String slug) {
        return sql("INSERT INTO apex_audition.conditions (id, slug, version, provider, model, parameters, config_hash, "
                + "registered_at) VALUES (?, ?, 1, 'openai', 'gpt-4o', '{}'::jsonb, 'h', ?)", "c-" + slug, slug, NOW);
    }

    /** A completed output of {@code lane} on {@code prompt} (version 1), with its diagnostics. */
    Seed output(String runId, String generationId, String lane, String prompt, int replicate, String text,
                String cost) {
        int words = text.isBlank() ? 0 : text.trim().split("\\s+").length;
        return sql("INSERT INTO apex_audition.generations (id, run_id, lane_id, prompt_id, prompt_version, replicate, "
                        + "attempt, status, output_text, cost_usd, words, length_ratio, repetition, refusal, updated_at) "
                        + "VALUES (?, ?, ?, ?, 1, ?, 1, 'completed', ?, ?, ?, ?, 0.0, false, ?)", generationId, runId,
                lane, prompt, replicate, text, new BigDecimal(cost), words, words / 100.0, NOW);
    }

    /** A generation that is not a completed output: an error, a dry run, or a judge request with its cost. */
    Seed generation(String runId, String lane, String prompt, String status, String cost) {
        return sql("INSERT INTO apex_audition.generations (id, run_id, lane_id, prompt_id, attempt, status, cost_usd, "
                        + "updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)", UUID.randomUUID().toString(), runId, lane,
                prompt, status, cost == null ? null : new BigDecimal(cost), NOW);
    }

    /** A pairwise judgment, answered ('judged') unless {@code winner} is null ('pending'). */
    Seed pairwise(String judgingRun, String sourceRun, String judge, String prompt, String laneA, String laneB,
                  String winner, int margin) {
        return sql("INSERT INTO apex_audition.judgments (generation_id, run_id, source_run_id, judge_lane_id, kind, "
                        + "prompt_id, generation_a, lane_a, generation_b, lane_b, status, winner, margin, updated_at) "
                        + "VALUES (?, ?, ?, ?, 'pairwise', ?, ?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(),
                judgingRun, sourceRun, judge, prompt, "g-" + laneA + "-" + prompt, laneA, "g-" + laneB + "-" + prompt,
                laneB, winner == null ? "pending" : "judged", winner, winner == null ? null : margin, NOW);
    }

    /** A rubric judgment with its scores (a JSON object of criterion to score). */
    Seed rubric(String judgingRun, String sourceRun, String judge, String prompt, String lane, String scores) {
        return sql("INSERT INTO apex_audition.judgments (generation_id, run_id, source_run_id, judge_lane_id, kind, "
                        + "prompt_id, generation_a, lane_a, criteria, scale_min, scale_max, status, scores, updated_at) "
                        + "VALUES (?, ?, ?, ?, 'rubric', ?, ?, ?, ?::text[], 1, 10, 'judged', ?::jsonb, ?)",
                UUID.randomUUID().toString(), judgingRun, sourceRun, judge, prompt, "g-" + lane + "-" + prompt, lane,
                "{voice,imagery}", scores, NOW);
    }

    Seed sql(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.execute();
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException("seeding failed: " + sql, e);
        }
    }
}
