package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.simulator.config.SimulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicReference;

/** Consumes the start-up {@link SimulatorConfig} and admin patches; produces the settings in effect now. */
@ApplicationScoped
public class RuntimeSettings {
    private final Settings configured;
    private final AtomicReference<Settings> current;

    public RuntimeSettings(SimulatorConfig config) {
        this.configured = Settings.from(config);
        this.current = new AtomicReference<>(configured);
    }

    public Settings current() {
        return current.get();
    }

    /** Applies a partial JSON patch atomically; an invalid patch changes nothing. */
    public Settings update(JsonNode patch) {
        return current.updateAndGet(s -> s.merge(patch));
    }

    /**
     * Takes one call from the {@code next} counts of {@code endpoint}, atomically, so two concurrent calls never take
     * the same one; the count left shows in {@code GET /_sim/config}.
     */
    public Fault takeNext(String endpoint) {
        while (true) {
            Settings s = current.get();
            Fault kind = s.faults().at(endpoint).nextKind();
            if (kind == Fault.NONE || current.compareAndSet(s, s.withOneTaken(endpoint, kind))) {
                return kind;
            }
        }
    }

    /** Takes one judge answer from {@code faults.judge-garbage-next}, atomically; false when none is left. */
    public boolean takeJudgeGarbage() {
        while (true) {
            Settings s = current.get();
            if (s.faults().judgeGarbageNext() == 0) {
                return false;
            }
            if (current.compareAndSet(s, s.withOneJudgeGarbageTaken())) {
                return true;
            }
        }
    }

    public void reset() {
        current.set(configured);
    }
}
