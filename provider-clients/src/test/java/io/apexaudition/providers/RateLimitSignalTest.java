package io.apexaudition.providers;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitSignalTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static RateLimitSignal read(int status, Map<String, String> headers) {
        return RateLimitSignal.read(status, headers::get, NOW);
    }

    @Test
    void shouldReadOpenAisRemainingRequestsAndTheirGoDurationReset() {
        // given OpenAI's headers with one request left, refilling in 6m0s, and tokens in 20ms
        RateLimitSignal signal = read(200, Map.of("x-ratelimit-remaining-requests", "1",
                "x-ratelimit-reset-requests", "6m0s", "x-ratelimit-remaining-tokens", "0",
                "x-ratelimit-reset-tokens", "20ms"));

        // then both budgets are read, and the spent token budget asks for a pause until it refills
        assertThat(signal.requestsRemaining()).isEqualTo(OptionalLong.of(1));
        assertThat(signal.requestsReset()).contains(Duration.ofMinutes(6));
        assertThat(signal.tokensRemaining()).isEqualTo(OptionalLong.of(0));
        assertThat(signal.pause()).contains(Duration.ofMillis(20));
        assertThat(signal.throttled()).isFalse();
    }

    @Test
    void shouldReadAnthropicsResetTimesAsWaitsFromNow() {
        RateLimitSignal signal = read(200, Map.of("anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2026-01-01T00:00:03Z",
                "anthropic-ratelimit-tokens-remaining", "5000"));

        assertThat(signal.requestsRemaining()).isEqualTo(OptionalLong.of(0));
        assertThat(signal.pause()).contains(Duration.ofSeconds(3));
    }

    @Test
    void shouldPreferRetryAfterOnAThrottle() {
        RateLimitSignal signal = read(529, Map.of("retry-after", "2", "anthropic-ratelimit-requests-remaining", "7",
                "anthropic-ratelimit-requests-reset", "2026-01-01T00:00:09Z"));

        assertThat(signal.throttled()).isTrue();
        assertThat(signal.pause()).contains(Duration.ofSeconds(2));
    }

    @Test
    void shouldSayNothingWhenTheAnswerCarriesNoHeaders() {
        RateLimitSignal signal = read(200, Map.of());

        assertThat(signal.requestsRemaining()).isEmpty();
        assertThat(signal.tokensRemaining()).isEmpty();
        assertThat(signal.pause()).isEmpty();
    }

    @Test
    void shouldRefuseMalformedDurationsRatherThanReadThemAsZero() {
        assertThat(RateLimitSignal.goDuration("1h2m3.5s")).contains(Duration.ofMillis(3_723_500));
        assertThat(RateLimitSignal.goDuration("soon")).isEqualTo(Optional.empty());
        assertThat(RateLimitSignal.goDuration("5sx")).isEqualTo(Optional.empty());
        assertThat(RateLimitSignal.number("-3")).isEqualTo(OptionalLong.of(0));
    }
}
