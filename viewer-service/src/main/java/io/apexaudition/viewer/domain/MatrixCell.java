package io.apexaudition.viewer.domain;

import java.math.BigDecimal;

/** One lane's generation for one prompt, without its text: what a matrix cell shows. */
public record MatrixCell(String promptId, String laneId, Integer replicate, String status, Integer outputLength,
        Long inputTokens, Long cachedInputTokens, Long outputTokens, Long reasoningTokens, BigDecimal costUsd,
        boolean cacheHit, String finishReason, String errorKind) {
}
