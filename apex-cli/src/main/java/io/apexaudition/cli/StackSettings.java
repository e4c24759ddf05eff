package io.apexaudition.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where the broker and the database are, from the environment that ./apex sets from .apex/stack.env. */
public record StackSettings(String kafka, String dbUrl, String dbUser, String dbPassword) {

    public static StackSettings fromEnvironment() {
        return new StackSettings(
                env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
                env("APEX_DB_URL", "jdbc:postgresql://127.0.0.1:15432/postgres"),
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
