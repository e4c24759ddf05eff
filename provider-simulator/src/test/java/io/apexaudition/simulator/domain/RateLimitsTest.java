package io.apexaudition.simulator.domain;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00.250Z");

    @Test
    void shouldCountDownOpenAisRequestBudgetThenRefuseWithRetryAfterUntilTheWindowRefills() {
        // given a budget of 2 calls per model per second
        RateLimits limits = new RateLimits(2, 0, Duration.ofSeconds(1), Clock.fixed(AT, ZoneOffset.UTC));

        // when a model is called three times in the window
        RateLimits.Admission first = limits.admit("openai", "gpt-4o", 400);
        RateLimits.Admission second = limits.admit("openai", "gpt-4o", 400);
        RateLimits.Admission third = limits.admit("openai", "gpt-4o", 400);

        // then the headers count down, and the third is refused until the window ends
        assertThat(first.headers()).containsEntry("x-ratelimit-remaining-requests", "1")
                .containsEntry("x-ratelimit-limit-requests", "2").containsEntry("x-ratelimit-reset-requests", "750ms");
        assertThat(second.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
        assertThat(third.refused()).isTrue();
        assertThat(third.headers()).containsEntry("retry-after", "1");
        // and another model has a budget of its own
        assertThat(limits.admit("openai", "o3", 400).refused()).isFalse();
    }

    @Test
    void shouldSendAnthropicsHeadersWithTheResetAsATimeAndCountTokens() {
        RateLimits limits = new RateLimits(0, 150, Duration.ofMinutes(1), Clock.fixed(AT, ZoneOffset.UTC));

        RateLimits.Admission first = limits.admit("anthropic", "claude-sonnet-4-5", 400);

        assertThat(first.headers()).containsEntry("anthropic-ratelimit-tokens-remaining", "50")
                .containsEntry("anthropic-ratelimit-tokens-reset", "2026-01-01T00:01:00Z")
                .doesNotContainKey("anthropic-ratelimit-requests-remaining");
        assertThat(limits.admit("anthropic", "claude-sonnet-4-5", 400).refused()).isTrue();
    }

    @Test
    void shouldSendNoHeadersWhenNoBudgetIsSet() {
        RateLimits limits = new RateLimits(0, 0, Duration.ofMinutes(1), Clock.systemUTC());

        assertThat(limits.admit("openai", "gpt-4o", 400)).isEqualTo(RateLimits.Admission.NONE);
    }
}
