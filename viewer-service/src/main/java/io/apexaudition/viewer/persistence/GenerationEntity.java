package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A row of apex_audition.generations (the latest attempt of one lane x prompt x replicate), read only. The request
 * body is not mapped: it lives once per distinct body in request_bodies, and only a cell's endpoint reads it
 * ({@link GenerationRepository#requestBody}).
 */
@Entity
@Immutable
@Table(name = "generations")
public class GenerationEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "run_id")
    public String runId;
    @Column(name = "condition_id")
    public String conditionId;
    @Column(name = "lane_id")
    public String laneId;
    @Column(name = "prompt_id")
    public String promptId;
    @Column(name = "prompt_version")
    public Integer promptVersion;
    public Integer replicate;
    public int attempt;
    public String provider;
    public String model;
    public String mode;
    public String status;
    /**
     * Loaded with the row: the matrix never loads entities (its queries project output_length), and every entity
     * query reads the text (a prompt side by side, a cell) or has none (errors). Lazy, it cost one query per row.
     */
    @Column(name = "output_text")
    public String outputText;
    /** The output's length in characters, stored by the database (V7): no query has to read the text for it. */
    @Column(name = "output_length", insertable = false, updatable = false)
    public Integer outputLength;
    @Column(name = "batch_id")
    public String batchId;
    @Column(name = "finish_reason")
    public String finishReason;
    @Column(name = "input_tokens")
    public Long inputTokens;
    @Column(name = "cached_input_tokens")
    public Long cachedInputTokens;
    @Column(name = "output_tokens")
    public Long outputTokens;
    @Column(name = "reasoning_tokens")
    public Long reasoningTokens;
    @Column(name = "cache_hit")
    public boolean cacheHit;
    @Column(name = "cost_usd")
    public BigDecimal costUsd;
    @Column(name = "error_kind")
    public String errorKind;
    @Column(name = "error_message")
    public String errorMessage;
    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
}
