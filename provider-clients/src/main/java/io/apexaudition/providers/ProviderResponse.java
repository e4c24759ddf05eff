package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventJson;

import java.time.Duration;
import java.util.Optional;

/** One HTTP answer of a provider: status, body, and how long it asked us to wait, if it did. */
public record ProviderResponse(int status, String body, Optional<Duration> retryAfter) {
    /** No answer at all: a timeout or a refused connection. */
    public static final int NO_ANSWER = -1;
    /** The provider answered 2xx, and the body broke off while it was read: the call was done, its reply is lost. */
    public static final int BROKEN_BODY = -2;

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * 429, 5xx (and Anthropic's 529 overloaded), 408, no answer at all and a body that broke off: worth another try
     * later, where another try cannot pay twice (a paid call retries less: see {@code Retrier.callPaid}).
     */
    public boolean retryable() {
        return status == 429 || status == 408 || status >= 500 || status == NO_ANSWER || status == BROKEN_BODY;
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
