package io.apexaudition.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where the broker and the database are, from the environment that ./apex sets from .apex/stack.env. */
public record StackSettings(String kafka, String dbUrl, String dbUser, String dbPassword) {

    /** Unset ones fall back to the local stack's ({@link LocalStack}). */
    public static StackSettings fromEnvironment() {
        LocalStack stack = LocalStack.load();
        return new StackSettings(
                env("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers()),
                env("APEX_DB_URL", stack.postgresJdbcUrl()),
                env("APEX_DB_USER", "postgres"),
                env("APEX_DB_PASSWORD", ""));
    }

    public Connection connect() throws SQLException {
        try {
            return DriverManager.getConnection(dbUrl, dbUser, dbPassword);
        } catch (SQLException e) {
            throw new SQLException("cannot reach Postgres at " + dbUrl + " (" + e.getMessage()
                    + "): is the stack up? Run './apex up', or set APEX_DB_URL", e);
        }
    }

    /** A system property of the same name wins over the environment (tests and embedding use it). */
    private static String env(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
