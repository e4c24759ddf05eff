package io.apexaudition.planner.domain;

import io.apexaudition.events.PlannedLane;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Live progress of a run: per lane, how many generations are expected and how many are final. */
public record RunProgress(String runId, int expected, int completed, int errors, int dryRun, BigDecimal costUsd,
                          List<LaneProgress> lanes) {

    public record LaneProgress(String slug, int expected, int completed, int errors, int dryRun) {
    }

    public boolean done() {
        return expected > 0 && completed + errors + dryRun >= expected;
    }

    public static RunProgress of(String runId, List<PlannedLane> planned, RunTally tally) {
        RunTally t = tally == null ? RunTally.EMPTY : tally;
        List<LaneProgress> lanes = new ArrayList<>();
        int expected = 0;
        for (PlannedLane lane : planned) {
            RunTally.LaneTally l = t.lanes().getOrDefault(lane.slug(), new RunTally.LaneTally(0, 0, 0));
            lanes.add(new LaneProgress(lane.slug(), lane.expectedGenerations(), l.completed(), l.errors(), l.dryRun()));
            expected += lane.expectedGenerations();
        }
        return new RunProgress(runId, expected, t.total("completed"), t.total("errors"), t.total("dryRun"),
                t.costUsd(), lanes);
    }
}
