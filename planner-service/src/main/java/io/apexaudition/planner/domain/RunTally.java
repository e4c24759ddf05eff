package io.apexaudition.planner.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The final generations of one run, counted per lane, as a Kafka Streams aggregate of the runs' lane counts. A lane
 * count is absolute (every final generation of the lane, each once with its latest attempt), so an update of a lane
 * subtracts its old count and adds the new one, and a redelivered count changes nothing.
 */
public record RunTally(Map<String, LaneTally> lanes, BigDecimal costUsd) {

    public static final RunTally EMPTY = new RunTally(Map.of(), BigDecimal.ZERO);

    /** One lane's counts. */
    public record LaneTally(int completed, int errors, int dryRun) {
        public int total() {
            return completed + errors + dryRun;
        }
    }

    /**
     * Every final generation of one lane of one run, each counted once with its latest attempt, and their cost: what
     * the planner's lane counter keeps per {@code runId/slug} and publishes to the run's tally.
     */
    public record LaneCount(String runId, String slug, int completed, int errors, int dryRun, BigDecimal costUsd) {

        public static LaneCount empty(String runId, String slug) {
            return new LaneCount(runId, slug, 0, 0, 0, BigDecimal.ZERO);
        }

        /** This count with one generation's final state added (+1) or taken away (-1). */
        public LaneCount with(Final f, int sign) {
            BigDecimal cost = f.costUsd() == null ? costUsd : costUsd.add(f.costUsd().multiply(BigDecimal.valueOf(sign)));
            return switch (f.status()) {
                case "COMPLETED" -> new LaneCount(runId, slug, completed + sign, errors, dryRun, cost);
                case "ERROR" -> new LaneCount(runId, slug, completed, errors + sign, dryRun, cost);
                default -> new LaneCount(runId, slug, completed, errors, dryRun + sign, cost);
            };
        }
    }

    /** One generation's final state, as the lane counter sees it. */
    public record Final(int attempt, String status, BigDecimal costUsd) {

        /** A compact store value: {@code attempt|status|cost} (the cost empty when there is none). */
        public String encode() {
            return attempt + "|" + status + "|" + (costUsd == null ? "" : costUsd.toPlainString());
        }

        public static Final decode(String value) {
            String[] parts = value.split("\\|", -1);
            return new Final(Integer.parseInt(parts[0]), parts[1], parts[2].isEmpty() ? null : new BigDecimal(parts[2]));
        }

        /** Whether this state replaces {@code older}: a later attempt, or the same attempt delivered again. */
        public boolean supersedes(Final older) {
            return older == null || attempt >= older.attempt;
        }
    }

    public RunTally add(LaneCount lane) {
        return change(lane, 1);
    }

    public RunTally subtract(LaneCount lane) {
        return change(lane, -1);
    }

    private RunTally change(LaneCount c, int sign) {
        Map<String, LaneTally> next = new TreeMap<>(lanes);
        LaneTally lane = next.getOrDefault(c.slug(), new LaneTally(0, 0, 0));
        lane = new LaneTally(lane.completed() + sign * c.completed(), lane.errors() + sign * c.errors(),
                lane.dryRun() + sign * c.dryRun());
        next.put(c.slug(), lane);
        return new RunTally(next, costUsd.add(c.costUsd().multiply(BigDecimal.valueOf(sign))));
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
