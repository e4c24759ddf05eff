package io.apexaudition.dispatcher.domain;

import io.apexaudition.providers.RateLimitSignal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Paces the synchronous calls of one model of one provider to what the provider allows, AIMD-style: the number of
 * calls under way is at most {@link #limit()}, which starts at the configured ceiling and never leaves
 * {@code [1, ceiling]}. A throttle (429, 503, Anthropic's 529) halves it (once per round: calls that started before
 * the cut do not cut again) and stops new calls for what {@code retry-after} asks, else until the budget refills;
 * a request budget the headers show running low caps the limit at what is left, and a spent one (requests or tokens)
 * stops new calls until its reset. Each successful round of {@code limit} calls grows it back by one.
 */
public final class AdaptiveLimiter {
    /** How long a throttle that names no wait stops new calls. */
    static final Duration THROTTLE_PAUSE = Duration.ofSeconds(1);
    /** The longest a blocked caller sleeps before it looks again (a pause may be lifted by nothing but time). */
    private static final long MAX_WAIT_MS = 50;

    private final int ceiling;
    private final LongSupplier nanos;
    private int limit;
    private int inFlight;
    private int successes;
    /** Bumped on every cut; a permit taken before the last cut cannot cut again. */
    private long round;
    private long pausedUntil;

    /** One call under way, from {@link #acquire()} to {@link #release}. */
    public record Permit(long round) {
    }

    public AdaptiveLimiter(int ceiling) {
        this(ceiling, System::nanoTime);
    }

    AdaptiveLimiter(int ceiling, LongSupplier nanos) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("a synchronous concurrency must be at least 1, not " + ceiling);
        }
        this.ceiling = ceiling;
        this.nanos = nanos;
        this.limit = ceiling;
        this.pausedUntil = nanos.getAsLong();
    }

    /** Waits until a call may start, then counts it under way. */
    public Permit acquire() throws InterruptedException {
        synchronized (this) {
            while (true) {
                Optional<Permit> permit = tryAcquire();
                if (permit.isPresent()) {
                    return permit.get();
                }
                long pausedMs = Math.max(1, (pausedUntil - nanos.getAsLong() + 999_999) / 1_000_000);
                wait(Math.min(pausedMs, MAX_WAIT_MS));
            }
        }
    }

    /** A call may start now (the limit has room and no pause holds): it is counted under way. */
    public synchronized Optional<Permit> tryAcquire() {
        if (inFlight >= limit || nanos.getAsLong() - pausedUntil < 0) {
            return Optional.empty();
        }
        inFlight++;
        return Optional.of(new Permit(round));
    }

    /** What one answer of a call under way said (a call retried inside the client says it more than once). */
    public synchronized void observe(Permit permit, RateLimitSignal signal) {
        long now = nanos.getAsLong();
        Optional<Duration> pause = signal.pause();
        if (signal.throttled() && pause.isEmpty()) {
            pause = Optional.of(THROTTLE_PAUSE);
        }
        pause.ifPresent(d -> {
            long until = now + d.toNanos();
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
        });
        if (signal.throttled()) {
            if (permit.round() == round) {
                cut(Math.max(1, limit / 2));
            }
        } else if (signal.requestsRemaining().isPresent() && signal.requestsRemaining().getAsLong() < limit) {
            cut((int) Math.max(1, signal.requestsRemaining().getAsLong()));
        } else if (signal.status() >= 200 && signal.status() < 300 && ++successes >= limit) {
            limit = Math.min(ceiling, limit + 1);
            successes = 0;
        }
        notifyAll();
    }

    private void cut(int to) {
        if (to < limit) {
            limit = to;
            round++;
        }
        successes = 0;
    }

    /** The call is over, whatever came of it. */
    public synchronized void release(Permit permit) {
        inFlight--;
        notifyAll();
    }

    public synchronized int limit() {
        return limit;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public int ceiling() {
        return ceiling;
    }

    /** How long, from now, no new call may start (zero when none is held back by a pause). */
    public synchronized Duration pausedFor() {
        return Duration.ofNanos(Math.max(0, pausedUntil - nanos.getAsLong()));
    }
}
