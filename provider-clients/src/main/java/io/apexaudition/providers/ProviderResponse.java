package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventJson;

import java.time.Duration;
import java.util.Optional;

/** One HTTP answer of a provider: status, body, and how long it asked us to wait, if it did. */
public record ProviderResponse(int status, String body, Optional<Duration> retryAfter) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** 429, 5xx (and Anthropic's 529 overloaded), 408 and no answer at all (-1): worth another try later. */
    public boolean retryable() {
        return status == 429 || status == 408 || status >= 500 || status == -1;
    }

    public JsonNode json() {
        try {
            return body == null || body.isBlank() ? EventJson.mapper().nullNode() : EventJson.mapper().readTree(body);
        } catch (Exception e) {
            return EventJson.mapper().getNodeFactory().textNode(body);
        }
    }

    static Optional<Duration> parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
