package io.apexaudition.simulator.domain;

import java.util.List;

/**
 * What the simulator knows about one model: the limits its provider enforces on it.
 *
 * @param temperature {@code range} (0..temperatureMax), {@code default-only} (only 1 is accepted) or
 *                    {@code unsupported} (the key itself is refused)
 */
public record SimulatedModel(String id, String provider, boolean reasoning, int outputCap,
                             List<String> reasoningEfforts, String temperature, double temperatureMax,
                             boolean temperatureWithTopP) {
}
