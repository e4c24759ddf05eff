package io.apexaudition.viewer.domain;

import java.math.BigDecimal;

/**
 * One lane's full output for a prompt. {@code label} is its blind name ("Lane A"), the same whether the lane is
 * shown or hidden, so a reader who reveals the lanes sees which label was which; blind, everything that names the
 * lane is null.
 */
public record LaneOutput(String label, String generationId, String laneId, String conditionId, String provider,
        String model, String parameters, Integer replicate, String status, String outputText, String finishReason,
        Long inputTokens, Long cachedInputTokens, Long outputTokens, Long reasoningTokens, BigDecimal costUsd,
        boolean cacheHit, String errorKind, String errorMessage) {

    /** This output with everything that names its lane removed. */
    public LaneOutput blinded() {
        return new LaneOutput(label, null, null, null, null, null, null, replicate, status, outputText, finishReason,
                inputTokens, cachedInputTokens, outputTokens, reasoningTokens, costUsd, cacheHit, errorKind,
                errorMessage);
    }

    /** This output under another label. */
    public LaneOutput labelled(String newLabel) {
        return new LaneOutput(newLabel, generationId, laneId, conditionId, provider, model, parameters, replicate,
                status, outputText, finishReason, inputTokens, cachedInputTokens, outputTokens, reasoningTokens,
                costUsd, cacheHit, errorKind, errorMessage);
    }
}
