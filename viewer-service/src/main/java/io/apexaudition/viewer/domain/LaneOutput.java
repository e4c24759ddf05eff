package io.apexaudition.viewer.domain;

import java.math.BigDecimal;

/**
 * One lane's full output for a prompt. {@code label} is its blind name ("Lane A"), the same whether the lane is
 * shown or hidden, so a reader who reveals the lanes sees which label was which; blind, everything that names the
 * lane is null. {@code requestBody} is the exact body sent for it, given only where one generation is opened (the
 * cell): a page of outputs leaves it out, and a blind one could tell the lane by the model in it.
 */
public record LaneOutput(String label, String generationId, String laneId, String conditionId, String provider,
        String model, String parameters, Integer replicate, String status, String outputText, String finishReason,
        Long inputTokens, Long cachedInputTokens, Long outputTokens, Long reasoningTokens, BigDecimal costUsd,
        boolean cacheHit, String errorKind, String errorMessage, String requestBody) {

    /** This output with everything that names its lane removed. */
    public LaneOutput blinded() {
        return new LaneOutput(label, null, null, null, null, null, null, replicate, status, outputText, finishReason,
                inputTokens, cachedInputTokens, outputTokens, reasoningTokens, costUsd, cacheHit, errorKind,
                errorMessage, null);
    }

    /** This output under another label. */
    public LaneOutput labelled(String newLabel) {
        return new LaneOutput(newLabel, generationId, laneId, conditionId, provider, model, parameters, replicate,
                status, outputText, finishReason, inputTokens, cachedInputTokens, outputTokens, reasoningTokens,
                costUsd, cacheHit, errorKind, errorMessage, requestBody);
    }

    /** This output with the exact body sent for it. */
    public LaneOutput withRequestBody(String body) {
        return new LaneOutput(label, generationId, laneId, conditionId, provider, model, parameters, replicate,
                status, outputText, finishReason, inputTokens, cachedInputTokens, outputTokens, reasoningTokens,
                costUsd, cacheHit, errorKind, errorMessage, body);
    }
}
