package io.apexaudition.dispatcher.domain;

import io.apexaudition.providers.RateLimitSignal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveLimiterTest {

    /** What a call's answer said, as a test writes it. */
    record Answer(int status, Optional<Duration> retryAfter, OptionalLong remaining, Optional<Duration> reset) {
        RateLimitSignal signal() {
            return new RateLimitSignal(status, retryAfter, remaining, reset, OptionalLong.empty(), Optional.empty());
        }
    }

    /** A step of a random history: start a call, or end the oldest one under way with an answer, or let time pass. */
    record Step(int kind, Answer answer, long elapsedMs) {
    }

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<Answer> answers = Combinators.combine(Arbitraries.of(200, 200, 200, 429, 529, 503, 500, -1),
                Arbitraries.longs().between(0, 3000).optional(0.3).map(o -> o.map(Duration::ofMillis)),
                Arbitraries.longs().between(0, 50).optional(0.5).map(o -> o.isPresent()
                        ? OptionalLong.of(o.get()) : OptionalLong.empty()),
                Arbitraries.longs().between(0, 5000).optional(0.5).map(o -> o.map(Duration::ofMillis)))
                .as(Answer::new);
        return Combinators.combine(Arbitraries.integers().between(0, 2), answers,
                Arbitraries.longs().between(0, 2000)).as(Step::new);
    }

    @Property
    void shouldNeverHoldMorePermitsThanTheCeilingNorLimitBelowOne(@ForAll @IntRange(min = 1, max = 32) int ceiling,
                                                                  @ForAll @Size(max = 300) List<@From("steps") Step> history) {
        AtomicLong now = new AtomicLong();
        AdaptiveLimiter limiter = new AdaptiveLimiter(ceiling, now::get);
        Deque<AdaptiveLimiter.Permit> underWay = new ArrayDeque<>();
        for (Step step : history) {
            switch (step.kind()) {
                case 0 -> limiter.tryAcquire().ifPresent(underWay::add);
                case 1 -> {
                    if (!underWay.isEmpty()) {
                        AdaptiveLimiter.Permit permit = underWay.poll();
                        limiter.observe(permit, step.answer().signal());
                        limiter.release(permit);
                    }
                }
                default -> now.addAndGet(step.elapsedMs() * 1_000_000);
            }
            assertThat(underWay.size()).isLessThanOrEqualTo(ceiling).isEqualTo(limiter.inFlight());
            assertThat(limiter.limit()).isBetween(1, ceiling);
        }
    }

    @Property
    void shouldStartNoCallBeforeARetryAfterHasPassed(@ForAll @IntRange(min = 1, max = 32) int ceiling,
                                                     @ForAll @IntRange(min = 1, max = 120_000) int retryAfterMs,
                                                     @ForAll @IntRange(min = 0, max = 500) int callsBefore) {
        // given calls that went well, then one answered 429 with retry-after
        AtomicLong now = new AtomicLong(System.nanoTime());
        AdaptiveLimiter limiter = new AdaptiveLimiter(ceiling, now::get);
        for (int i = 0; i < callsBefore; i++) {
            AdaptiveLimiter.Permit p = limiter.tryAcquire().orElseThrow();
            limiter.observe(p, ok());
            limiter.release(p);
        }
        AdaptiveLimiter.Permit throttled = limiter.tryAcquire().orElseThrow();
        limiter.observe(throttled, new RateLimitSignal(429, Optional.of(Duration.ofMillis(retryAfterMs)),
                OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty()));
        limiter.release(throttled);

        // then no call starts until it has passed, and one does once it has
        now.addAndGet(Duration.ofMillis(retryAfterMs).toNanos() - 1);
        assertThat(limiter.tryAcquire()).isEmpty();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire()).isPresent();
    }

    @Test
    void shouldHalveOnAThrottleOncePerRoundAndGrowBackByOnePerRoundOfSuccesses() {
        // given a limiter at its ceiling of 8, with 8 calls under way
        AtomicLong now = new AtomicLong();
        AdaptiveLimiter limiter = new AdaptiveLimiter(8, now::get);
        Deque<AdaptiveLimiter.Permit> underWay = new ArrayDeque<>();
        for (int i = 0; i < 8; i++) {
            underWay.add(limiter.tryAcquire().orElseThrow());
        }

        // when all 8 are throttled (they started in the same round)
        while (!underWay.isEmpty()) {
            AdaptiveLimiter.Permit p = underWay.poll();
            limiter.observe(p, new RateLimitSignal(429, Optional.of(Duration.ofMillis(100)), OptionalLong.empty(),
                    Optional.empty(), OptionalLong.empty(), Optional.empty()));
            limiter.release(p);
        }

        // then the limit is halved once, not eight times
        assertThat(limiter.limit()).isEqualTo(4);

        // and after the pause each round of 4 successes grows it by one
        now.addAndGet(Duration.ofMillis(100).toNanos());
        succeed(limiter, 4);
        assertThat(limiter.limit()).isEqualTo(5);
        succeed(limiter, 5 + 6 + 7 + 8 * 10);
        assertThat(limiter.limit()).isEqualTo(8);
    }

    @Test
    void shouldCapTheLimitAtTheRequestsLeftAndPauseUntilTheResetWhenNoneAre() {
        AtomicLong now = new AtomicLong();
        AdaptiveLimiter limiter = new AdaptiveLimiter(8, now::get);

        AdaptiveLimiter.Permit p = limiter.tryAcquire().orElseThrow();
        limiter.observe(p, new RateLimitSignal(200, Optional.empty(), OptionalLong.of(3), Optional.of(
                Duration.ofSeconds(2)), OptionalLong.empty(), Optional.empty()));
        limiter.release(p);
        assertThat(limiter.limit()).isEqualTo(3);
        assertThat(limiter.pausedFor()).isZero();

        p = limiter.tryAcquire().orElseThrow();
        limiter.observe(p, new RateLimitSignal(200, Optional.empty(), OptionalLong.of(0), Optional.of(
                Duration.ofSeconds(2)), OptionalLong.empty(), Optional.empty()));
        limiter.release(p);
        assertThat(limiter.limit()).isEqualTo(1);
        assertThat(limiter.pausedFor()).isEqualTo(Duration.ofSeconds(2));
        assertThat(limiter.tryAcquire()).isEmpty();
    }

    @Test
    void shouldBlockACallerForTheWholeRetryAfter() throws Exception {
        // given a real clock and a 429 asking for 300 ms
        AdaptiveLimiter limiter = new AdaptiveLimiter(2);
        AdaptiveLimiter.Permit p = limiter.acquire();
        limiter.observe(p, new RateLimitSignal(429, Optional.of(Duration.ofMillis(300)), OptionalLong.empty(),
                Optional.empty(), OptionalLong.empty(), Optional.empty()));
        long throttledAt = System.nanoTime();
        limiter.release(p);

        // when the next call asks to start, it waits at least that long
        limiter.acquire();
        assertThat(Duration.ofNanos(System.nanoTime() - throttledAt)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    private static void succeed(AdaptiveLimiter limiter, int calls) {
        for (int i = 0; i < calls; i++) {
            AdaptiveLimiter.Permit p = limiter.tryAcquire().orElseThrow();
            limiter.observe(p, ok());
            limiter.release(p);
        }
    }

    private static RateLimitSignal ok() {
        return RateLimitSignal.none(200);
    }
}
