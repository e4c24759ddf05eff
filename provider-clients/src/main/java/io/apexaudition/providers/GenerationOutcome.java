package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.Usage;

import java.math.BigDecimal;
import java.time.Instant;

/** What one request came to: completed with text and usage, or an error with the provider's message. */
public record GenerationOutcome(GenerationStatus status, String text, String finishReason, Usage usage,
                                boolean cacheHit, ErrorKind errorKind, String errorMessage) {

    public static GenerationOutcome completed(String text, String finishReason, Usage usage) {
        return new GenerationOutcome(GenerationStatus.COMPLETED, text, finishReason, usage,
                usage.cachedInputTokens() > 0, null, null);
    }

    public static GenerationOutcome error(ErrorKind kind, String message) {
        return new GenerationOutcome(GenerationStatus.ERROR, null, null, Usage.NONE, false, kind, message);
    }

    /** The result event of this outcome, for the poller and the dispatcher alike ({@link GenerationCompleted#of}). */
    public GenerationCompleted result(GenerationCompleted.Subject subject, Instant at, BigDecimal costUsd) {
        return GenerationCompleted.of(subject, at, status, text, finishReason, usage == null ? Usage.NONE : usage,
                cacheHit, costUsd, errorKind, errorMessage);
    }
}
