package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.Usage;

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
}
