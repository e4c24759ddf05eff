package io.apexaudition.planner.domain;

import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.RunAccepted;

import java.util.List;

/**
 * What progress needs of an accepted run: its lanes and how many generations each expects. Progress looks the
 * plan up on every change of a run's tally, so it must not carry the run's prompt ids (2,000 strings for a
 * 2,000-prompt run), which {@link RunAccepted} does. Reads a stored RunAccepted too (extra fields are ignored).
 */
public record RunPlan(String runId, List<PlannedLane> lanes) {

    public RunPlan {
        lanes = lanes == null ? List.of() : List.copyOf(lanes);
    }

    public static RunPlan of(RunAccepted accepted) {
        return new RunPlan(accepted.runId(), accepted.lanes());
    }
}
