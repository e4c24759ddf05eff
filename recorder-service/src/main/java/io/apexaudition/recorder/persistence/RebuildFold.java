package io.apexaudition.recorder.persistence;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rebuild's generations, each written once. Postgres used to write three versions of every generation row in a
 * rebuild (the request's insert, the submission's update, the result's update, each through the table's five
 * indexes), because a generation's request, submission and result lie on three topics and rarely meet in one slice.
 * Instead, while the topics are replayed, the rows of the three {@code generations} statements go by COPY into
 * unlogged staging tables without indexes ({@link #stage}), numbered in the order the slices would have applied them;
 * at the end ({@link #finish}) Postgres hands them back sorted by generation, each generation's rows are folded into
 * its one row by {@link GenerationFold} (the statements' own clauses, in the same order, so the same row), and the
 * rows go into {@code generations} by one COPY: one row version per generation, as COPY writes it.
 *
 * <p>Memory does not grow with history: the staged rows are in Postgres, both directions are streamed, and the fold
 * holds one generation at a time. The fold does what the per-batch {@link OutputProjection} would have done to the
 * rows afterwards: a judge's generation gets no writing diagnostics, an output measured before its prompt was known
 * gets its length ratio, and every judgment is read again from its generation.
 *
 * <p>The live consumer keeps recording meanwhile. {@link #finish} locks {@code generations} against writers
 * ({@code SHARE ROW EXCLUSIVE}: the live consumer's next write waits, readers do not) for the one transaction that
 * writes the fold; a generation the live consumer wrote during the rebuild is not COPYed but gets its staged rows
 * applied by the live upserts, round by round, as the per-slice path did: the upserts converge whatever the order.
 * Until the fold commits, {@code generations} shows only what the live consumer wrote since the rebuild began; if
 * the rebuild fails before, running it again rebuilds everything (the staging tables are made anew).
 */
public final class RebuildFold implements AutoCloseable {
    /** The statements folded, in the order a slice applies them (the tables' order). */
    static final List<Table> FOLDED = List.of(Table.GENERATION_REQUESTED, Table.GENERATION_COMPLETED,
            Table.GENERATION_SUBMITTED);
    private static final int COPY_CHUNK = 256 * 1024;
    /**
     * The parameters of each folded statement that fill a NOT NULL column of {@code generations}: staged NOT NULL too,
     * so a record the live path would refuse for its content is refused by its slice (and parked, as live) rather
     * than by the fold's COPY at the end, which would fail the whole rebuild.
     */
    private static final Map<Table, Set<Integer>> NOT_NULL = Map.of(
            Table.GENERATION_REQUESTED, Set.of(1, 2, 4, 5, 8),
            Table.GENERATION_COMPLETED, Set.of(1, 2, 4, 5, 8, 14, 22, 29),
            Table.GENERATION_SUBMITTED, Set.of(1, 2, 4, 5, 6, 12));

    /** The session lock one rebuild of a database holds: its staging tables are the same for every rebuild. */
    private static final long LOCK = 0x4170657852656275L; // "ApexRebu"

    private final DataSource dataSource;
    /** The connection holding {@link #LOCK} for the fold's life. */
    private final Connection locked;
    private final AtomicLong slices = new AtomicLong();

    private RebuildFold(DataSource dataSource, Connection locked) {
        this.dataSource = dataSource;
        this.locked = locked;
    }

    /**
     * Makes the fold's staging tables anew (those of a rebuild that did not finish are dropped), once no other
     * rebuild of the database is running: a second one would drop the first one's staging tables.
     */
    static RebuildFold start(DataSource dataSource) throws SQLException {
        Connection locked = dataSource.getConnection();
        try (Statement s = locked.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException("Another rebuild of this database is running (a recorder holds the "
                        + "rebuild's lock): wait for it to finish, then run apex rebuild again if it is still needed");
            }
        } catch (SQLException | RuntimeException e) {
            locked.close();
            throw e;
        }
        try (Statement s = locked.createStatement()) {
            for (Table table : FOLDED) {
                StringBuilder create = new StringBuilder("CREATE UNLOGGED TABLE ").append(stage(table))
                        .append(" (slice bigint NOT NULL, ord bigint NOT NULL");
                List<String> types = table.stageTypes();
                for (int i = 0; i < types.size(); i++) {
                    create.append(", c").append(i + 1).append(' ').append(types.get(i))
                            .append(NOT_NULL.get(table).contains(i + 1) ? " NOT NULL" : "");
                }
                s.execute("DROP TABLE IF EXISTS " + stage(table));
                s.execute(create.append(')').toString());
            }
        } catch (SQLException | RuntimeException e) {
            locked.close(); // a session lock ends with its session
            throw e;
        }
        return new RebuildFold(dataSource, locked);
    }

    /** The staging table of a folded statement. */
    static String stage(Table table) {
        return "apex_audition.rebuild_" + table.name().toLowerCase();
    }

    /** The number of the next slice: the slices' rows are folded in the order of these numbers. */
    long nextSlice() {
        return slices.incrementAndGet();
    }

    /**
     * Writes every staged generation once, in one transaction, with what follows from the rows (judgments, length
     * ratios); on failure nothing of it is written and it can be run again.
     */
    public void finish() throws SQLException {
        try (Connection write = dataSource.getConnection(); Connection read = dataSource.getConnection()) {
            write.setAutoCommit(false);
            try {
                fold(write, read);
                write.commit();
            } catch (SQLException | RuntimeException e) {
                write.rollback();
                throw e;
            }
        }
    }

    private void fold(Connection write, Connection read) throws SQLException {
        try (Statement s = write.createStatement()) {
            // the live consumer's writes wait from here to the commit, so no generation appears between noting those
            // it wrote and COPYing the others
            s.execute("LOCK TABLE apex_audition.generations IN SHARE ROW EXCLUSIVE MODE");
            s.execute("SET LOCAL TimeZone = 'UTC'");
            s.execute("CREATE TEMP TABLE rebuild_upserted ON COMMIT DROP AS SELECT s.id FROM ("
                    + union("c1 AS id") + ") s WHERE EXISTS (SELECT 1 FROM apex_audition.generations g "
                    + "WHERE g.id = s.id) GROUP BY s.id");
        }
        Map<String, Optional<Double>> targets = targets(write);
        read.setAutoCommit(false);
        try (Statement s = read.createStatement()) {
            s.execute("SET LOCAL TimeZone = 'UTC'"); // the text order of timestamps is their order (GenerationFold)
            s.execute("SET LOCAL work_mem = '32MB'"); // the sort of the staged rows: fewer passes over disk
        }
        CopyOut out = read.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT f.* , EXISTS (SELECT 1 "
                + "FROM apex_audition.judgments j WHERE j.generation_id = f.c1) FROM (" + rows() + ") f "
                + "WHERE NOT EXISTS (SELECT 1 FROM apex_audition.generations g WHERE g.id = f.c1) "
                + "ORDER BY f.c1 COLLATE \"C\", f.slice, f.ord) TO STDOUT");
        CopyIn in = write.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY apex_audition.generations ("
                + GenerationFold.COLUMNS + ") FROM STDIN");
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(COPY_CHUNK + 64 * 1024);
        try {
            String[] row = null;
            boolean judge = false;
            byte[] line;
            while ((line = out.readFromCopy()) != null) {
                String[] f = fields(line);
                if (row != null && !row[GenerationFold.ID].equals(f[3])) {
                    write(chunk, finished(row, judge, targets));
                    if (chunk.size() >= COPY_CHUNK) {
                        in.writeToCopy(chunk.toByteArray(), 0, chunk.size());
                        chunk.reset();
                    }
                    row = null;
                }
                String[] values = Arrays.copyOfRange(f, 3, 3 + GenerationFold.WIDTH);
                row = GenerationFold.apply(row, GenerationFold.Kind.values()[Integer.parseInt(f[0])], values);
                judge = "t".equals(f[3 + GenerationFold.WIDTH]);
            }
            if (row != null) {
                write(chunk, finished(row, judge, targets));
            }
            in.writeToCopy(chunk.toByteArray(), 0, chunk.size());
            in.endCopy();
        } finally {
            if (out.isActive()) {
                out.cancelCopy();
            }
            if (in.isActive()) {
                in.cancelCopy();
            }
            read.rollback();
        }
        Set<String> upserted = upsertRecorded(write);
        OutputProjection.afterFold(write, upserted);
    }

    /**
     * The generations the live consumer recorded during the rebuild get their staged rows by the live upserts, in the
     * fold's order, one round per row of a generation (a statement cannot touch a row twice). Returns their ids (as
     * many as the live consumer wrote meanwhile, not history).
     */
    private static Set<String> upsertRecorded(Connection c) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM rebuild_upserted")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        if (ids.isEmpty()) {
            return ids;
        }
        int rounds;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE rebuild_rounds ON COMMIT DROP AS SELECT k, slice, ord, "
                    + "row_number() OVER (PARTITION BY id ORDER BY slice, ord) AS round FROM ("
                    + union("c1 AS id") + ") s WHERE s.id IN (SELECT id FROM rebuild_upserted)");
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(max(round), 0) FROM rebuild_rounds")) {
                rs.next();
                rounds = rs.getInt(1);
            }
        }
        for (int round = 1; round <= rounds; round++) {
            for (int k = 0; k < FOLDED.size(); k++) {
                Table table = FOLDED.get(k);
                try (PreparedStatement apply = c.prepareStatement(StagedRows.fromStage(table.sql(),
                        stage(table) + " s JOIN rebuild_rounds r ON r.k = " + k
                                + " AND r.slice = s.slice AND r.ord = s.ord", "r.round = ?"))) {
                    apply.setInt(1, round);
                    apply.executeUpdate();
                }
            }
        }
        return ids;
    }

    /** The row as it is written: what the per-batch OutputProjection would have done to it since. */
    private static String[] finished(String[] row, boolean judge, Map<String, Optional<Double>> targets) {
        if (judge) {
            // a judge's answer gets no writing diagnostics
            row[GenerationFold.WORDS] = null;
            row[GenerationFold.LENGTH_RATIO] = null;
            row[GenerationFold.REPETITION] = null;
            row[GenerationFold.REFUSAL] = null;
        } else if (row[GenerationFold.WORDS] != null && row[GenerationFold.LENGTH_RATIO] == null
                && row[GenerationFold.PROMPT_VERSION] != null) {
            // measured before its prompt or prompt version was known: the length its prompt asks for, now known
            Optional<Double> target = targets.getOrDefault(row[GenerationFold.PROMPT] + '\t'
                    + row[GenerationFold.PROMPT_VERSION], Optional.empty());
            if (target.isPresent()) {
                row[GenerationFold.LENGTH_RATIO] = Double.toString(
                        Integer.parseInt(row[GenerationFold.WORDS]) / target.get());
            }
        }
        return row;
    }

    /** The length each prompt version asks for, by its id (as COPY writes it) and version: prompts are few. */
    private static Map<String, Optional<Double>> targets(Connection c) throws SQLException {
        Map<String, Optional<Double>> targets = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, version, text FROM apex_audition.prompts")) {
            while (rs.next()) {
                targets.put(StagedRows.escape(rs.getString(1)) + '\t' + rs.getInt(2),
                        OutputProjection.target(rs.getString(3)));
            }
        }
        return targets;
    }

    /**
     * Every staged row as a row of {@code generations} ({@link GenerationFold}'s layout): its statement's number
     * ({@link GenerationFold.Kind}), its order, then the 34 columns, with the statement's constants in place and NULL
     * where it writes nothing.
     */
    private static String rows() {
        String nulls5 = "NULL, NULL, NULL, NULL, NULL";
        return "SELECT 0 AS k, slice, ord, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, NULL, c12, 'requested', "
                + "NULL, NULL, " + nulls5 + ", NULL, NULL, NULL, NULL, NULL, c13, NULL, to_timestamp(0), "
                + nulls5 + " FROM " + stage(Table.GENERATION_REQUESTED)
                + " UNION ALL SELECT 1, slice, ord, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, "
                + "c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34 FROM "
                + stage(Table.GENERATION_COMPLETED)
                + " UNION ALL SELECT 2, slice, ord, c1, c2, c3, c4, c5, NULL, NULL, c6, c7, c8, 'batch', c9, c10, "
                + "'submitted', NULL, NULL, " + nulls5 + ", NULL, NULL, NULL, NULL, c11, NULL, NULL, c12, "
                + nulls5 + " FROM " + stage(Table.GENERATION_SUBMITTED);
    }

    /** The three staging tables' rows, each as its statement's number, order and {@code columns}. */
    private static String union(String columns) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < FOLDED.size(); k++) {
            b.append(k == 0 ? "" : " UNION ALL ").append("SELECT ").append(k).append(" AS k, slice, ord, ")
                    .append(columns).append(" FROM ").append(stage(FOLDED.get(k)));
        }
        return b.toString();
    }

    /** A line of COPY's text format split at its tabs (escaped values kept as they are, {@code \N} as null). */
    private static String[] fields(byte[] line) {
        String text = new String(line, 0, line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1
                : line.length, StandardCharsets.UTF_8);
        String[] f = new String[4 + GenerationFold.WIDTH];
        int start = 0;
        for (int i = 0; i < f.length; i++) {
            int tab = text.indexOf('\t', start);
            int end = tab < 0 ? text.length() : tab;
            String value = text.substring(start, end);
            f[i] = value.equals("\\N") ? null : value;
            start = end + 1;
        }
        return f;
    }

    private static void write(ByteArrayOutputStream chunk, String[] row) {
        StringBuilder b = new StringBuilder(256);
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                b.append('\t');
            }
            b.append(row[i] == null ? "\\N" : row[i]);
        }
        byte[] bytes = b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        chunk.write(bytes, 0, bytes.length);
    }

    /** Drops the staging tables and lets the next rebuild start. */
    @Override
    public void close() throws SQLException {
        try (Connection c = locked; Statement s = c.createStatement()) {
            for (Table table : FOLDED) {
                s.execute("DROP TABLE IF EXISTS " + stage(table));
            }
            s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
        }
    }
}
