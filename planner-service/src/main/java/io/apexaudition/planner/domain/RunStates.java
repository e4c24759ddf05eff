package io.apexaudition.planner.domain;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunRejected;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each run's {@link SourceRuns.State}, folded from the events of apex.runs in their order. A run's state only moves
 * forward: a RunRejected published under the id of an accepted run (an unreadable command keyed by it) does not
 * hide the run, and a RunAccepted read again (the topic read from the start once more) does not undo a completion.
 * Thread-safe: one thread applies, others read.
 */
public final class RunStates implements SourceRuns {
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public void apply(ApexEvent event) {
        if (event instanceof RunAccepted a) {
            states.merge(a.runId(), State.RUNNING, (old, running) -> old == State.COMPLETED ? old : running);
        } else if (event instanceof RunCompleted c) {
            states.put(c.runId(), State.COMPLETED);
        } else if (event instanceof RunRejected r) {
            states.putIfAbsent(r.runId(), State.REJECTED);
        }
    }

    @Override
    public State state(String runId) {
        return runId == null ? State.UNKNOWN : states.getOrDefault(runId, State.UNKNOWN);
    }
}
