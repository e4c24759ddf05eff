package io.apexaudition.recorder.persistence;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement's rows COPYed into a staging table. Within a slice ({@link #StagedRows(Connection, Table)}): a
 * temporary table, applied by the statement's own {@code ON CONFLICT} clause in one {@code INSERT ... SELECT} per
 * round. One statement cannot update a row twice, so the k-th row of a key goes in round k; a key's rows are applied
 * in the order they were added, as the JDBC batch of the live path applies them, and rows of different keys do not
 * touch each other. So the tables end as the live path would leave them, with one statement per round instead of one
 * per row. That staging table lives in the session and is emptied at every commit; it is not logged. Across a whole
 * rebuild ({@link #StagedRows(Connection, Table, RebuildFold, long)}): the fold's unlogged staging table, each row
 * numbered by its slice and its place in the order the slice's statements would have run, applied by nobody until
 * the fold writes each generation once ({@link RebuildFold#finish}).
 */
final class StagedRows implements RowSink {
    private static final String LZ4 = """
            DO $$ BEGIN PERFORM set_config('default_toast_compression', 'lz4', true);
            EXCEPTION WHEN OTHERS THEN NULL; END $$""";
    private final Connection connection;
    private final Table table;
    private final String stage;
    private final String[] row;
    /** How many rows of each conflict key the slice holds so far (the key's fields, tab-separated as in COPY). */
    private final Map<String, Integer> rounds = new HashMap<>(1024);
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private final StringBuilder line = new StringBuilder();
    private final RebuildFold fold;
    /** Where the rows of a fold's slice go in the order they are applied: slice, then statement, then row. */
    private final String foldPrefix;
    private int rowCount;
    private int maxRound;

    StagedRows(Connection connection, Table table) {
        this(connection, table, "apex_stage_" + table.name().toLowerCase(), null, 0);
    }

    StagedRows(Connection connection, Table table, RebuildFold fold, long slice) {
        this(connection, table, RebuildFold.stage(table), fold, slice);
    }

    private StagedRows(Connection connection, Table table, String stage, RebuildFold fold, long slice) {
        if (!table.stageable()) {
            throw new IllegalArgumentException(table + " has no staging table");
        }
        this.connection = connection;
        this.table = table;
        this.stage = stage;
        this.row = new String[table.stageTypes().size()];
        this.fold = fold;
        this.foldPrefix = slice + "\t";
    }

    @Override
    public void text(int index, String value) {
        row[index - 1] = value == null ? null : escape(PgText.storable(value));
    }

    @Override
    public void integer(int index, Integer value) {
        row[index - 1] = value == null ? null : value.toString();
    }

    @Override
    public void bigint(int index, Long value) {
        row[index - 1] = value == null ? null : value.toString();
    }

    @Override
    public void bool(int index, Boolean value) {
        row[index - 1] = value == null ? null : value ? "t" : "f";
    }

    @Override
    public void decimal(int index, BigDecimal value) {
        row[index - 1] = value == null ? null : value.toPlainString();
    }

    @Override
    public void dbl(int index, Double value) {
        // Java's shortest round-trip form, which float8in reads back to the same double (NaN and Infinity too)
        row[index - 1] = value == null ? null : value.toString();
    }

    @Override
    public void timestamp(int index, Instant value) {
        row[index - 1] = value == null ? null : PgText.microseconds(value).toString();
    }

    @Override
    public void textArray(int index, List<String> values) {
        throw new UnsupportedOperationException(table + " is not staged with arrays");
    }

    @Override
    public void add() {
        line.setLength(0);
        if (fold != null) {
            // the slice's statements run in the tables' order, each statement's rows in the order added
            line.append(foldPrefix).append(((long) table.ordinal() << 32) + rowCount);
        } else {
            String key = row[0] == null ? "\\N" : row[0];
            for (int i = 1; i < table.keyArity(); i++) {
                key = key + '\t' + (row[i] == null ? "\\N" : row[i]);
            }
            int round = rounds.merge(key, 1, Integer::sum);
            maxRound = Math.max(maxRound, round);
            line.append(round);
        }
        for (int i = 0; i < row.length; i++) {
            line.append('\t').append(row[i] == null ? "\\N" : row[i]);
            row[i] = null;
        }
        line.append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        copy.write(bytes, 0, bytes.length);
        rowCount++;
    }

    @Override
    public void flush() throws SQLException {
        if (rowCount == 0) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            if (fold == null) {
                s.execute(createStage());
            }
            // lz4 for the staged bodies where the server has it: with pglz, compressing them into the staging table
            // nearly doubled Postgres's CPU per generation row (ReplayBench: 0.53 against 0.29 ms)
            s.execute(LZ4);
        }
        try (PGCopyOutputStream out = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
                "COPY " + stage + " FROM STDIN")) {
            copy.writeTo(out);
            copy.reset();
        } catch (IOException e) {
            throw new SQLException("could not stream rows to " + stage, "08000", e);
        }
        if (fold != null) {
            rowCount = 0;
            return;
        }
        try (PreparedStatement apply = connection.prepareStatement(fromStage())) {
            for (int round = 1; round <= maxRound; round++) {
                apply.setInt(1, round);
                apply.executeUpdate();
            }
        }
        rounds.clear();
        rowCount = 0;
        maxRound = 0;
    }

    @Override
    public void close() {
        copy.reset();
    }

    private String createStage() {
        StringBuilder b = new StringBuilder("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (round integer");
        List<String> types = table.stageTypes();
        for (int i = 0; i < types.size(); i++) {
            b.append(", c").append(i + 1).append(' ').append(types.get(i));
        }
        return b.append(") ON COMMIT DELETE ROWS").toString();
    }

    /** The statement with its {@code VALUES (...)} read from the staging table's round instead. */
    String fromStage() {
        return fromStage(table.sql(), stage);
    }

    static String fromStage(String sql, String stage) {
        return fromStage(sql, stage + " s", "s.round = ?");
    }

    /** The statement with its {@code VALUES (...)} read as {@code SELECT s.c1, ... FROM <from> WHERE <where>}. */
    static String fromStage(String sql, String from, String where) {
        int values = sql.indexOf("VALUES (");
        if (values < 0) {
            throw new IllegalArgumentException("not an INSERT ... VALUES statement: " + sql);
        }
        int open = values + "VALUES ".length();
        int depth = 0;
        int close = -1;
        for (int i = open; i < sql.length() && close < 0; i++) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                close = i;
            }
        }
        StringBuilder select = new StringBuilder("SELECT ");
        int parameter = 0;
        for (int i = open + 1; i < close; i++) {
            char c = sql.charAt(i);
            if (c == '?') {
                select.append("s.c").append(++parameter);
            } else {
                select.append(c);
            }
        }
        select.append(" FROM ").append(from).append(" WHERE ").append(where);
        return sql.substring(0, values) + select + sql.substring(close + 1);
    }

    /** Text in COPY's text format: backslash, tab, newline and carriage return escaped. */
    static String escape(String value) {
        int first = 0;
        while (first < value.length() && !special(value.charAt(first))) {
            first++;
        }
        if (first == value.length()) {
            return value;
        }
        StringBuilder b = new StringBuilder(value.length() + 16).append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            if (special(c)) {
                b.append('\\').append(c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }
}
