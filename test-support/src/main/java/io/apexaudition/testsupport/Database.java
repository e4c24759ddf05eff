package io.apexaudition.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where a test's database is. The password is never printed. */
public record Database(String jdbcUrl, String username, String password) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password == null ? "" : password);
    }

    @Override
    public String toString() {
        return "Database[" + jdbcUrl + " as " + username + "]";
    }
}
