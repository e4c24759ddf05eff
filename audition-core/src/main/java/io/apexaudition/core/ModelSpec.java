package io.apexaudition.core;

import java.math.BigDecimal;
import java.util.List;

/** One model of the catalog: how its provider knows it, what it accepts, what it costs. */
public record ModelSpec(
        String id,
        String displayName,
        String provider,
        String apiModelId,
        Kind kind,
        int outputTokenCap,
        String tokenParameter,
        TemperatureRange temperature,
        List<String> reasoningEfforts,
        boolean extendedThinking,
        Boolean temperatureWithTopP,
        Prices pricesPerMillion) {

    public enum Kind { REASONING, STANDARD }

    public ModelSpec {
        reasoningEfforts = reasoningEfforts == null ? List.of() : List.copyOf(reasoningEfforts);
    }

    public boolean acceptsTemperature() {
        return temperature != null;
    }

    /** Inclusive range of accepted temperatures. */
    public record TemperatureRange(double min, double max) {
        public boolean contains(double t) {
            return t >= min && t <= max;
        }
    }

    /** USD per million tokens at the synchronous rate. */
    public record Prices(BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal output) {
    }
}
