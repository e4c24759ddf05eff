package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A row of apex_audition.generations (the latest attempt of one lane x prompt x replicate), read only. The request
 * body is not mapped: it is ~9 KB of mostly shared context the viewer never shows.
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
    /** Loaded only when read: matrix queries project its length, never the text. */
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "output_text")
    public String outputText;
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
