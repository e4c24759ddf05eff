package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.VerdictRecorded;

import java.sql.SQLException;
import java.util.List;

import static io.apexaudition.recorder.persistence.RowSink.at;

/** Readers' verdicts into {@code verdicts}: the first record of a verdict id wins, so one sent twice is one row. */
final class VerdictProjection implements EventProjection {
    @Override
    public List<Class<? extends ApexEvent>> events() {
        return List.of(VerdictRecorded.class);
    }

    @Override
    public void write(ApexEvent event, Rows rows) throws SQLException {
        VerdictRecorded e = (VerdictRecorded) event;
        boolean pairwise = e.kind() == VerdictRecorded.Kind.PAIRWISE;
        RowSink v = rows.of(Table.VERDICT);
        v.text(1, e.verdictId());
        v.text(2, e.runId());
        v.text(3, e.promptId());
        v.text(4, e.kind().name().toLowerCase());
        v.text(5, pairwise ? e.generationA() : null);
        v.text(6, pairwise ? e.generationB() : null);
        v.text(7, pairwise ? e.winner().name().toLowerCase() : null);
        v.textArray(8, pairwise ? null : e.ranking());
        v.text(9, e.reader());
        v.bool(10, e.blind());
        v.timestamp(11, at(e.occurredAt()));
        v.text(12, e.eventId());
        v.add();
    }
}
