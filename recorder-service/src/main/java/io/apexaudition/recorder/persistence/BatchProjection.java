package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;

import java.sql.SQLException;
import java.util.List;

import static io.apexaudition.recorder.persistence.RowSink.at;

/**
 * Submitted batches and their polled statuses into {@code batches}; a submission also settles its intent's batch
 * in {@code dispatch_intents} and marks each of its generations submitted, naming the body as sent by its hash.
 */
final class BatchProjection implements EventProjection {
    @Override
    public List<Class<? extends ApexEvent>> events() {
        return List.of(BatchSubmitted.class, BatchStatusChanged.class);
    }

    @Override
    public void write(ApexEvent event, Rows rows) throws SQLException {
        if (event instanceof BatchSubmitted e) {
            submitted(e, rows);
        } else if (event instanceof BatchStatusChanged e) {
            RowSink b = rows.of(Table.BATCH_STATUS);
            b.text(1, e.batchId());
            b.text(2, e.provider());
            b.text(3, e.runId());
            b.text(4, e.status());
            b.bool(5, e.terminal());
            b.text(6, ProjectionRepository.json(e.requestCounts()));
            b.text(7, e.message());
            b.timestamp(8, at(e.occurredAt()));
            b.add();
        }
    }

    private static void submitted(BatchSubmitted e, Rows rows) throws SQLException {
        RowSink b = rows.of(Table.BATCH_SUBMITTED);
        b.text(1, e.batchId());
        b.text(2, e.provider());
        b.text(3, e.runId());
        b.text(4, e.model());
        b.text(5, e.intentId());
        b.text(6, e.inputFileId());
        b.integer(7, e.entries().size());
        b.timestamp(8, at(e.occurredAt()));
        b.add();
        RowSink i = rows.of(Table.INTENT_SUBMITTED);
        i.text(1, e.intentId());
        i.text(2, e.provider());
        i.text(3, e.runId());
        i.text(4, e.model());
        i.integer(5, e.entries().size());
        i.text(6, e.batchId());
        i.timestamp(7, at(e.occurredAt()));
        i.timestamp(8, at(e.occurredAt()));
        i.add();
        RowSink g = rows.of(Table.GENERATION_SUBMITTED);
        for (BatchEntry entry : e.entries()) {
            g.text(1, entry.generationId());
            g.text(2, e.runId());
            g.text(3, entry.conditionId());
            g.text(4, entry.conditionSlug());
            g.text(5, entry.promptId());
            g.integer(6, entry.attempt());
            g.text(7, e.provider());
            g.text(8, e.model());
            g.text(9, e.batchId());
            g.text(10, entry.customId());
            g.text(11, entry.requestBodyHash());
            g.timestamp(12, at(e.occurredAt()));
            g.add();
        }
    }
}
