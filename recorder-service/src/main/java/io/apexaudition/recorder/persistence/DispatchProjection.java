package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;

import java.sql.SQLException;
import java.util.List;

import static io.apexaudition.recorder.persistence.RowSink.at;

/** The dispatchers' intents and how they settled into {@code dispatch_intents}. */
final class DispatchProjection implements EventProjection {
    @Override
    public List<Class<? extends ApexEvent>> events() {
        return List.of(DispatchIntended.class, DispatchSettled.class);
    }

    @Override
    public void write(ApexEvent event, Rows rows) throws SQLException {
        if (event instanceof DispatchIntended e) {
            RowSink i = rows.of(Table.INTENT);
            i.text(1, e.intentId());
            i.text(2, e.provider());
            i.text(3, e.runId());
            i.text(4, e.conditionSlug());
            i.text(5, e.model());
            i.text(6, e.kind().name().toLowerCase());
            i.integer(7, e.chunk());
            i.integer(8, e.customIds().size());
            i.timestamp(9, at(e.occurredAt()));
            i.add();
        } else if (event instanceof DispatchSettled e) {
            RowSink s = rows.of(Table.INTENT_SETTLED);
            s.timestamp(1, at(e.occurredAt()));
            s.bool(2, e.succeeded());
            s.text(3, e.message());
            s.text(4, e.intentId());
            s.add();
        }
    }
}
