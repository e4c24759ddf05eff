package io.apexaudition.recorder.persistence;

import io.apexaudition.core.judging.WritingDiagnostics;
import io.apexaudition.events.GenerationCompleted;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The rows one transaction writes, per {@link Table}, opened as they are first needed and written in the tables'
 * order. Live, every table is a JDBC batch; a rebuild stages the generation tables (the many rows) by COPY: the
 * attempts applied per slice, the generations kept for its fold ({@link RebuildFold}), and request bodies are COPYed
 * straight into their table ({@link CopiedBodies}).
 */
final class Rows implements AutoCloseable {
    private final Connection connection;
    private final boolean staged;
    private final RebuildFold fold;
    private final long slice;
    private final Map<Table, RowSink> sinks = new EnumMap<>(Table.class);
    /** The writing diagnostics of the batch's ordinary outputs, measured before they are written. */
    final Map<GenerationCompleted, WritingDiagnostics> diagnostics;

    Rows(Connection connection, RebuildFold fold, Map<GenerationCompleted, WritingDiagnostics> diagnostics) {
        this.connection = connection;
        this.staged = fold != null;
        this.fold = fold;
        this.slice = fold == null ? 0 : fold.nextSlice();
        this.diagnostics = diagnostics;
    }

    /** The sink of a table's rows. */
    RowSink of(Table table) throws SQLException {
        RowSink sink = sinks.get(table);
        if (sink == null) {
            if (fold != null && RebuildFold.FOLDED.contains(table)) {
                sink = new StagedRows(connection, table, fold, slice);
            } else if (fold != null && table == Table.REQUEST_BODY) {
                sink = new CopiedBodies(connection);
            } else if (staged && table.stageable()) {
                sink = new StagedRows(connection, table);
            } else {
                sink = new BatchedRows(connection, table);
            }
            sinks.put(table, sink);
        }
        return sink;
    }

    /** Writes every table's rows, in the tables' order (an {@link EnumMap} iterates in it). */
    void flush() throws SQLException {
        for (RowSink sink : sinks.values()) {
            sink.flush();
        }
    }

    @Override
    public void close() throws SQLException {
        for (RowSink sink : sinks.values()) {
            sink.close();
        }
    }
}
