package io.apexaudition.providers;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one provider answer says about its rate limits: its status (a 429, or Anthropic's 529 / a 503, asks us to
 * slow down), {@code retry-after}, and the request and token budgets left with when they refill, read from OpenAI's
 * {@code x-ratelimit-*} or Anthropic's {@code anthropic-ratelimit-*} headers. Absent headers are empty, never zero:
 * an answer that says nothing must not look like an exhausted budget.
 */
public record RateLimitSignal(int status, Optional<Duration> retryAfter, OptionalLong requestsRemaining,
                              Optional<Duration> requestsReset, OptionalLong tokensRemaining,
                              Optional<Duration> tokensReset) {

    /** An answer that said nothing about limits (no answer at all, or a provider without the headers). */
    public static RateLimitSignal none(int status) {
        return new RateLimitSignal(status, Optional.empty(), OptionalLong.empty(), Optional.empty(),
                OptionalLong.empty(), Optional.empty());
    }

    /** The provider asked us to slow down: the call was not processed and may be sent again later. */
    public boolean throttled() {
        return status == 429 || status == 503 || status == 529;
    }

    /**
     * How long no new call should start: what {@code retry-after} asks, else, when a budget is spent (or the answer
     * was a throttle), until that budget refills; empty when nothing says to wait.
     */
    public Optional<Duration> pause() {
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        Optional<Duration> until = Optional.empty();
        if (throttled() || spent(requestsRemaining)) {
            until = longer(until, requestsReset);
        }
        if (throttled() || spent(tokensRemaining)) {
            until = longer(until, tokensReset);
        }
        return until;
    }

    private static boolean spent(OptionalLong remaining) {
        return remaining.isPresent() && remaining.getAsLong() <= 0;
    }

    private static Optional<Duration> longer(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().compareTo(a.get()) > 0 ? b : a;
    }

    /**
     * Reads the headers of one answer, OpenAI's or Anthropic's, whichever it carries.
     *
     * @param header a header's value by (case-insensitive) name, or null
     * @param now    when the answer came, to turn Anthropic's reset times into waits
     */
    public static RateLimitSignal read(int status, Function<String, String> header, Instant now) {
        Optional<Duration> retryAfter = ProviderResponse.parseRetryAfter(header.apply("retry-after"));
        if (header.apply("anthropic-ratelimit-requests-remaining") != null
                || header.apply("anthropic-ratelimit-tokens-remaining") != null) {
            return new RateLimitSignal(status, retryAfter,
                    number(header.apply("anthropic-ratelimit-requests-remaining")),
                    until(header.apply("anthropic-ratelimit-requests-reset"), now),
                    number(header.apply("anthropic-ratelimit-tokens-remaining")),
                    until(header.apply("anthropic-ratelimit-tokens-reset"), now));
        }
        return new RateLimitSignal(status, retryAfter, number(header.apply("x-ratelimit-remaining-requests")),
                goDuration(header.apply("x-ratelimit-reset-requests")),
                number(header.apply("x-ratelimit-remaining-tokens")),
                goDuration(header.apply("x-ratelimit-reset-tokens")));
    }

    static OptionalLong number(String value) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Anthropic's reset: an RFC 3339 time, turned into the wait from {@code now} (never negative). */
    static Optional<Duration> until(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            Duration d = Duration.between(now, OffsetDateTime.parse(value.trim()).toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    /** OpenAI's reset: a Go duration such as {@code 1s}, {@code 6m0s}, {@code 20ms}, {@code 1h2m3.5s}. */
    static Optional<Duration> goDuration(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Matcher m = GO_PART.matcher(value.trim());
        double millis = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1000;
                default -> n;
            };
            end = m.end();
        }
        return end == value.trim().length() && end > 0 ? Optional.of(Duration.ofMillis((long) Math.ceil(millis)))
                : Optional.empty();
    }
}
