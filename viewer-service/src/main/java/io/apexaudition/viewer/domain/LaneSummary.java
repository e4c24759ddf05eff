package io.apexaudition.viewer.domain;

import java.math.BigDecimal;

/** One lane of a run, over all its prompts: a matrix column's header (coverage, mean length, cost). */
public record LaneSummary(String laneId, String provider, String model, String parameters, long generations,
        long completed, long errors, Double meanLength, BigDecimal costUsd) {
}
