package io.apexaudition.recorder.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** A statement's rows as one JDBC batch, each row its own upsert: the live path, where rows are few per key. */
final class BatchedRows implements RowSink {
    private final Connection connection;
    private final PreparedStatement statement;
    private boolean pending;

    BatchedRows(Connection connection, Table table) throws SQLException {
        this.connection = connection;
        this.statement = connection.prepareStatement(table.sql());
    }

    @Override
    public void text(int index, String value) throws SQLException {
        statement.setString(index, PgText.storable(value));
    }

    @Override
    public void integer(int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    @Override
    public void bigint(int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    @Override
    public void bool(int index, Boolean value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BOOLEAN);
        } else {
            statement.setBoolean(index, value);
        }
    }

    @Override
    public void decimal(int index, BigDecimal value) throws SQLException {
        statement.setBigDecimal(index, value);
    }

    @Override
    public void dbl(int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    @Override
    public void timestamp(int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(PgText.microseconds(value)));
        }
    }

    @Override
    public void textArray(int index, List<String> values) throws SQLException {
        if (values == null) {
            statement.setNull(index, Types.ARRAY);
        } else {
            statement.setArray(index, connection.createArrayOf("text",
                    values.stream().map(PgText::storable).toArray(String[]::new)));
        }
    }

    @Override
    public void add() throws SQLException {
        statement.addBatch();
        pending = true;
    }

    @Override
    public void flush() throws SQLException {
        if (pending) {
            statement.executeBatch();
            pending = false;
        }
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
