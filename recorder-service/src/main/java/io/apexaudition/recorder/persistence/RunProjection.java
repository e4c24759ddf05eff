package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunRejected;

import java.sql.SQLException;
import java.util.List;

import static io.apexaudition.recorder.persistence.RowSink.at;

/**
 * The planner's verdicts on runs and their totals into {@code runs}. {@code RunRequested} is the planner's input,
 * recorded through its verdict.
 */
final class RunProjection implements EventProjection {
    @Override
    public List<Class<? extends ApexEvent>> events() {
        return List.of(RunAccepted.class, RunRejected.class, RunCompleted.class);
    }

    @Override
    public void write(ApexEvent event, Rows rows) throws SQLException {
        if (event instanceof RunAccepted e) {
            RowSink r = rows.of(Table.RUN_ACCEPTED);
            r.text(1, e.runId());
            r.text(2, e.mode().name().toLowerCase());
            r.bool(3, e.dryRun());
            r.bool(4, e.verifyFirst());
            r.bool(5, e.cache());
            r.integer(6, e.limit());
            r.integer(7, e.replicates());
            r.text(8, e.createdBy());
            r.text(9, e.notes());
            r.integer(10, e.expectedGenerations());
            r.text(11, ProjectionRepository.json(e.lanes()));
            r.timestamp(12, at(e.occurredAt()));
            r.add();
        } else if (event instanceof RunRejected e) {
            RowSink r = rows.of(Table.RUN_REJECTED);
            r.text(1, e.runId());
            r.text(2, e.reason());
            r.text(3, ProjectionRepository.json(e.problems()));
            r.text(4, e.rawCommand());
            r.timestamp(5, at(e.occurredAt()));
            r.add();
        } else if (event instanceof RunCompleted e) {
            RowSink r = rows.of(Table.RUN_COMPLETED);
            r.text(1, e.runId());
            r.integer(2, e.completed());
            r.integer(3, e.errors());
            r.integer(4, e.dryRun());
            r.decimal(5, e.costUsd());
            r.timestamp(6, at(e.occurredAt()));
            r.integer(7, e.expectedGenerations());
            r.add();
        }
    }
}
