package io.apexaudition.recorder.persistence;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The values of one {@link Table} statement, row after row: bound to a JDBC batch on the live path
 * ({@link BatchedRows}), written to a staging table by COPY on a rebuild ({@link StagedRows}). Indexes are the
 * statement's parameter positions, from 1; a null is SQL NULL; text is made storable ({@link PgText}).
 */
interface RowSink {
    void text(int index, String value) throws SQLException;

    void integer(int index, Integer value) throws SQLException;

    void bigint(int index, Long value) throws SQLException;

    void bool(int index, Boolean value) throws SQLException;

    void decimal(int index, BigDecimal value) throws SQLException;

    void dbl(int index, Double value) throws SQLException;

    void timestamp(int index, Instant value) throws SQLException;

    void textArray(int index, List<String> values) throws SQLException;

    /** Ends the row. */
    void add() throws SQLException;

    /** Writes the rows added so far. */
    void flush() throws SQLException;

    void close() throws SQLException;

    /** When an event happened, as the tables store it: an event that does not say is dated the epoch. */
    static Instant at(Instant occurredAt) {
        return occurredAt == null ? Instant.EPOCH : occurredAt;
    }
}
