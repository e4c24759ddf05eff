package io.apexaudition.recorder.persistence;

import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rebuild's request bodies ({@link Table#REQUEST_BODY}), COPYed straight into {@code request_bodies}: a body is
 * ~12 KB and there is about one per generation, so a row-by-row insert, or a staging table that compresses every body
 * once more, was most of what a rebuild paid per generation after the generation rows. The statement is first write
 * wins and a hash has one body, so the slice keeps the first row of each hash, leaves out the hashes already stored
 * (one query), and COPYs the rest. Should the live consumer store one of them in between, the COPY fails on the key
 * (SQLState 23505) and the slice is written again event by event, as any slice Postgres refuses
 * ({@code RecordingProcessor}): the same rows.
 */
final class CopiedBodies implements RowSink {
    private final Connection connection;
    private final Map<String, String[]> bodies = new LinkedHashMap<>();
    private String hash;
    private String body;
    private String textHash;
    private Integer textAt;

    CopiedBodies(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void text(int index, String value) {
        if (index == 1) {
            hash = PgText.storable(value);
        } else if (index == 2) {
            body = PgText.storable(value);
        } else {
            textHash = PgText.storable(value);
        }
    }

    @Override
    public void integer(int index, Integer value) {
        textAt = value;
    }

    @Override
    public void bigint(int index, Long value) {
        throw unsupported();
    }

    @Override
    public void bool(int index, Boolean value) {
        throw unsupported();
    }

    @Override
    public void decimal(int index, BigDecimal value) {
        throw unsupported();
    }

    @Override
    public void dbl(int index, Double value) {
        throw unsupported();
    }

    @Override
    public void timestamp(int index, Instant value) {
        throw unsupported();
    }

    @Override
    public void textArray(int index, List<String> values) {
        throw unsupported();
    }

    @Override
    public void add() throws SQLException {
        if (hash == null || body == null) {
            // what the table refuses, refused as the statement would refuse it (and the slice written event by event)
            throw new SQLException("null value in column \"" + (hash == null ? "body_hash" : "body")
                    + "\" of relation \"request_bodies\" violates not-null constraint", "23502");
        }
        bodies.putIfAbsent(hash, new String[]{body, textHash, textAt == null ? null : textAt.toString()});
        hash = null;
        body = null;
        textHash = null;
        textAt = null;
    }

    @Override
    public void flush() throws SQLException {
        if (bodies.isEmpty()) {
            return;
        }
        try (PreparedStatement stored = IdLookups.prepare(connection,
                "SELECT body_hash FROM apex_audition.request_bodies WHERE body_hash = ANY (?)")) {
            stored.setArray(1, connection.createArrayOf("text", bodies.keySet().toArray()));
            try (ResultSet rs = stored.executeQuery()) {
                while (rs.next()) {
                    bodies.remove(rs.getString(1));
                }
            }
        }
        StringBuilder copy = new StringBuilder();
        bodies.forEach((h, b) -> copy.append(StagedRows.escape(h)).append('\t').append(StagedRows.escape(b[0]))
                .append('\t').append(cell(b[1])).append('\t').append(cell(b[2])).append('\n'));
        bodies.clear();
        if (copy.isEmpty()) {
            return;
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY apex_audition.request_bodies (body_hash, body, text_hash, text_at) FROM STDIN",
                    new ByteArrayInputStream(copy.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new SQLException("could not stream rows to apex_audition.request_bodies", "08000", e);
        }
    }

    @Override
    public void close() {
        bodies.clear();
    }

    private static String cell(String value) {
        return value == null ? "\\N" : StagedRows.escape(value);
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("request_bodies has only text and integer columns");
    }
}
