package io.apexaudition.viewer.domain;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.function.Function;

/**
 * One lane of a run, over all its prompts: a matrix column's header. Coverage is the share of its generations that
 * completed; the length's spread is its population standard deviation (0 for a single output).
 */
public record LaneSummary(String laneId, String provider, String model, String conditionId, String parameters,
        long generations, long completed, long errors, double coverage, Double meanLength, Double lengthStdDev,
        BigDecimal costUsd) {

    /** This lane with its condition's parameters. */
    public LaneSummary withParameters(String newParameters) {
        return new LaneSummary(laneId, provider, model, conditionId, newParameters, generations, completed, errors,
                coverage, meanLength, lengthStdDev, costUsd);
    }

    /** Lanes in the given order (one of {@link SortOrder#LANE_KEYS}), a lane without the figure last, then by id. */
    public static Comparator<LaneSummary> order(SortOrder order) {
        Comparator<LaneSummary> byKey = switch (order.key()) {
            case "coverage" -> figure(LaneSummary::coverageFigure, order.descending());
            case "length" -> figure(LaneSummary::meanLength, order.descending());
            case "spread" -> figure(LaneSummary::lengthStdDev, order.descending());
            case "cost" -> figure(l -> l.costUsd() == null ? null : l.costUsd().doubleValue(), order.descending());
            case "errors" -> figure(l -> (double) l.errors(), order.descending());
            default -> order.descending() ? Comparator.comparing(LaneSummary::laneId).reversed()
                    : Comparator.comparing(LaneSummary::laneId);
        };
        return byKey.thenComparing(LaneSummary::laneId);
    }

    private Double coverageFigure() {
        return coverage;
    }

    private static Comparator<LaneSummary> figure(Function<LaneSummary, Double> f, boolean descending) {
        Comparator<Double> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Comparator.comparing(f, Comparator.nullsLast(values));
    }
}
