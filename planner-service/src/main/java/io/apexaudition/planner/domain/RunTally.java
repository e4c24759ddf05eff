package io.apexaudition.planner.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The final generations of one run, counted per lane, as a Kafka Streams aggregate. Each generation counts once
 * with its latest attempt: an update subtracts the old value and adds the new one, so a redelivered result or a
 * retried generation never counts twice.
 */
public record RunTally(Map<String, LaneTally> lanes, BigDecimal costUsd) {

    public static final RunTally EMPTY = new RunTally(Map.of(), BigDecimal.ZERO);

    /** One lane's counts. */
    public record LaneTally(int completed, int errors, int dryRun) {
        public int total() {
            return completed + errors + dryRun;
        }
    }

    /** One generation's final state, as the tally sees it. */
    public record Final(String runId, String slug, int attempt, String status, BigDecimal costUsd) {
    }

    public RunTally add(Final f) {
        return change(f, 1);
    }

    public RunTally subtract(Final f) {
        return change(f, -1);
    }

    private RunTally change(Final f, int sign) {
        Map<String, LaneTally> next = new TreeMap<>(lanes);
        LaneTally lane = next.getOrDefault(f.slug(), new LaneTally(0, 0, 0));
        lane = switch (f.status()) {
            case "COMPLETED" -> new LaneTally(lane.completed() + sign, lane.errors(), lane.dryRun());
            case "ERROR" -> new LaneTally(lane.completed(), lane.errors() + sign, lane.dryRun());
            default -> new LaneTally(lane.completed(), lane.errors(), lane.dryRun() + sign);
        };
        next.put(f.slug(), lane);
        BigDecimal cost = f.costUsd() == null ? costUsd : costUsd.add(f.costUsd().multiply(BigDecimal.valueOf(sign)));
        return new RunTally(next, cost);
    }

    public int total(String what) {
        return lanes.values().stream().mapToInt(l -> switch (what) {
            case "completed" -> l.completed();
            case "errors" -> l.errors();
            case "dryRun" -> l.dryRun();
            default -> l.total();
        }).sum();
    }
}
