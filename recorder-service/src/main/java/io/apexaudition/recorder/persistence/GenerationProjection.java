package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;

import java.sql.SQLException;
import java.util.List;

import static io.apexaudition.recorder.persistence.RowSink.at;

/** Requests and results into {@code generations}, and each result into {@code generation_attempts}. */
final class GenerationProjection implements EventProjection {
    @Override
    public List<Class<? extends ApexEvent>> events() {
        return List.of(GenerationRequested.class, GenerationCompleted.class);
    }

    @Override
    public void write(ApexEvent event, Rows rows) throws SQLException {
        if (event instanceof GenerationRequested e) {
            requested(e, rows.of(Table.GENERATION_REQUESTED));
        } else if (event instanceof GenerationCompleted e) {
            completed(e, rows);
        }
    }

    private static void requested(GenerationRequested e, RowSink p) throws SQLException {
        p.text(1, e.generationId());
        p.text(2, e.runId());
        p.text(3, e.conditionId());
        p.text(4, e.conditionSlug());
        p.text(5, e.promptId());
        p.integer(6, e.promptVersion());
        p.integer(7, e.replicate());
        p.integer(8, e.attempt());
        p.text(9, e.provider());
        p.text(10, e.model());
        p.text(11, e.mode().name().toLowerCase());
        p.text(12, e.customId());
        p.timestamp(13, at(e.occurredAt()));
        p.add();
    }

    private static void completed(GenerationCompleted e, Rows rows) throws SQLException {
        boolean usage = e.status() == GenerationStatus.COMPLETED;
        String mode = e.mode() == null ? null : e.mode().name().toLowerCase();
        String errorKind = e.errorKind() == null ? null : e.errorKind().name().toLowerCase();
        RowSink g = rows.of(Table.GENERATION_COMPLETED);
        g.text(1, e.generationId());
        g.text(2, e.runId());
        g.text(3, e.conditionId());
        g.text(4, e.conditionSlug());
        g.text(5, e.promptId());
        // results written before claim checks (issue 18) had no prompt version from the poller (0): the request's row
        // gives it; every result written since carries it
        g.integer(6, e.promptVersion() == 0 ? null : e.promptVersion());
        g.integer(7, null);
        g.integer(8, e.attempt());
        g.text(9, e.provider());
        g.text(10, e.model());
        g.text(11, mode);
        g.text(12, e.batchId());
        g.text(13, e.customId());
        g.text(14, e.status().dbValue());
        g.text(15, e.outputText());
        g.text(16, e.finishReason());
        g.bigint(17, usage ? e.usage().inputTokens() : null);
        g.bigint(18, usage ? e.usage().cachedInputTokens() : null);
        g.bigint(19, usage ? e.usage().cacheWriteTokens() : null);
        g.bigint(20, usage ? e.usage().outputTokens() : null);
        g.bigint(21, usage ? e.usage().reasoningTokens() : null);
        g.bool(22, e.cacheHit());
        g.decimal(23, e.costUsd());
        g.text(24, errorKind);
        g.text(25, e.errorMessage());
        g.text(26, e.requestBodyHash());
        g.timestamp(27, null);
        g.timestamp(28, at(e.occurredAt()));
        g.timestamp(29, at(e.occurredAt()));
        g.text(30, PgText.exact(e.outputText()));
        OutputProjection.bind(g, 31, rows.diagnostics.get(e));
        g.add();
        RowSink a = rows.of(Table.ATTEMPT);
        a.text(1, e.generationId());
        a.integer(2, e.attempt());
        a.text(3, e.runId());
        a.text(4, e.conditionSlug());
        a.text(5, e.promptId());
        a.text(6, mode);
        a.text(7, e.batchId());
        a.text(8, e.status().dbValue());
        a.text(9, errorKind);
        a.text(10, e.errorMessage());
        a.bigint(11, usage ? e.usage().outputTokens() : null);
        a.decimal(12, e.costUsd());
        a.timestamp(13, at(e.occurredAt()));
        a.add();
    }
}
