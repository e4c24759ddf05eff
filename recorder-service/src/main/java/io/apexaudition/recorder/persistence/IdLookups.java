package io.apexaudition.recorder.persistence;

import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Statements that look rows up by a batch's ids ({@code WHERE id = ANY (?)}), planned for their own ids each time they
 * run. Once pgjdbc prepares a statement on the server (its fifth run on a connection), Postgres may keep one generic
 * plan for it; a generic plan made while the table was small scans the whole table and compares every row with every
 * id of the batch, and it stays until the table is analysed again, long after the table has grown: 20-28 ms a batch of
 * 500 ids at 5,000 rows in ReplayBench's live path, growing with the table (docs/benchmarks.md, session 21). Planned
 * each time, the lookup takes the primary key for a few tenths of a millisecond of planning a batch. pgjdbc keeps a
 * connection's statements by their text, and reuses one it already prepared on the server even here: the text of a
 * lookup made here must not be prepared anywhere else.
 */
final class IdLookups {
    private IdLookups() {
    }

    /** {@code sql} prepared so that it is never prepared on the server, and so planned for each run's ids. */
    static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        return statement;
    }
}
