package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.DeadLettered;

import java.sql.SQLException;
import java.util.List;

import static io.apexaudition.recorder.persistence.RowSink.at;

/** Records some consumer parked into {@code dead_letters}, once per position. */
final class DeadLetterProjection implements EventProjection {
    @Override
    public List<Class<? extends ApexEvent>> events() {
        return List.of(DeadLettered.class);
    }

    @Override
    public void write(ApexEvent event, Rows rows) throws SQLException {
        DeadLettered e = (DeadLettered) event;
        RowSink d = rows.of(Table.DEAD_LETTER);
        d.text(1, e.eventId());
        d.text(2, e.consumer());
        d.text(3, e.sourceTopic());
        d.integer(4, e.partition());
        d.bigint(5, e.offset());
        d.text(6, e.sourceKey());
        d.text(7, e.reason());
        d.text(8, e.payload());
        d.timestamp(9, at(e.occurredAt()));
        d.add();
    }
}
