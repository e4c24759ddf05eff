package io.apexaudition.planner.domain;

/**
 * What the planner knows of a run a judging command names as its source: whether it was accepted, and whether
 * it has completed (a {@code RunCompleted} on apex.runs).
 */
@FunctionalInterface
public interface SourceRuns {

    /** Knows no run at all. */
    SourceRuns NONE = runId -> State.UNKNOWN;

    /** A run as apex.runs tells it. */
    enum State {
        /** No RunAccepted and no RunRejected. */
        UNKNOWN,
        /** Rejected and never accepted: nothing was generated. */
        REJECTED,
        /** Accepted, and no RunCompleted yet. */
        RUNNING,
        /** A RunCompleted was published: every generation ended (completed, error or dry run). */
        COMPLETED
    }

    /** The run's state as of now: everything committed to apex.runs before the call counts. */
    State state(String runId);
}
