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

    public void reset() {
        current.set(configured);
    }
}
