package io.apexaudition.simulator.domain;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Consumes the system clock and admin "advance" requests; produces the simulator's now. Batch phases are read
 * from this clock, so moving it forward moves every batch forward without waiting.
 */
@Singleton
public class SimulatorClock extends Clock {
    private final Clock base = Clock.systemUTC();
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // Time zones never matter to the wire formats (epoch seconds, UTC ISO-8601).
        return this;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("The simulator clock only moves forward");
        }
        offset.updateAndGet(o -> o.plus(by));
        return instant();
    }

    public Duration offset() {
        return offset.get();
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }
}
