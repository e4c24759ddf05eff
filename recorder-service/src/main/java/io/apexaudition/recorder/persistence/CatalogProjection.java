package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.RequestBodyStored;

import java.sql.SQLException;
import java.util.List;

import static io.apexaudition.recorder.persistence.RowSink.at;

/**
 * Lane versions into {@code conditions}, prompt versions into {@code prompts}, request bodies into
 * {@code request_bodies} (the claim checks generations name by {@code request_body_hash}) and the long texts cut out
 * of them into {@code long_texts}: each written once.
 */
final class CatalogProjection implements EventProjection {
    @Override
    public List<Class<? extends ApexEvent>> events() {
        return List.of(LaneRegistered.class, PromptIngested.class, RequestBodyStored.class, LongTextStored.class);
    }

    @Override
    public void write(ApexEvent event, Rows rows) throws SQLException {
        if (event instanceof LaneRegistered e) {
            RowSink c = rows.of(Table.CONDITION);
            c.text(1, e.conditionId());
            c.text(2, e.slug());
            c.integer(3, e.version());
            c.text(4, e.provider());
            c.text(5, e.model());
            c.text(6, e.apiModelId());
            c.text(7, ProjectionRepository.json(e.parameters()));
            c.text(8, e.configHash());
            c.text(9, e.description());
            c.timestamp(10, at(e.occurredAt()));
            c.add();
        } else if (event instanceof PromptIngested e) {
            RowSink p = rows.of(Table.PROMPT);
            p.text(1, e.promptId());
            p.integer(2, e.version());
            p.text(3, e.contentHash());
            p.text(4, e.title());
            p.text(5, e.genre());
            p.text(6, e.text());
            p.text(7, e.sharedContext());
            p.timestamp(8, at(e.occurredAt()));
            p.add();
        } else if (event instanceof LongTextStored e) {
            RowSink t = rows.of(Table.LONG_TEXT);
            t.text(1, e.textHash());
            t.text(2, e.escapedText());
            t.add();
        } else if (event instanceof RequestBodyStored e) {
            RowSink b = rows.of(Table.REQUEST_BODY);
            b.text(1, e.bodyHash());
            b.text(2, e.body());
            b.text(3, e.textHash());
            b.integer(4, e.textAt());
            b.add();
        }
    }
}
