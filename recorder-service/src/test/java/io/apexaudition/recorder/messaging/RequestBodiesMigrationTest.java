package io.apexaudition.recorder.messaging;

import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.testsupport.Database;
import io.apexaudition.testsupport.PostgresInfra;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V9 moves the bodies a database already holds into {@code request_bodies}, under the hash Postgres computes: it must
 * be the hash the dispatcher computes for the same body, or old generations would name bodies nobody can find.
 */
class RequestBodiesMigrationTest {

    @Test
    void shouldMoveEveryRecordedBodyUnderTheHashJavaGivesItOncePerDistinctBody() throws Exception {
        // given a database at V8 holding three generations, two with one body (non-ASCII, escapes) and one with another
        Database db = PostgresInfra.freshDatabase();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(db.username());
        dataSource.setPassword(db.password() == null ? "" : db.password());
        flyway(dataSource).target("8").load().migrate();
        String shared = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Les marées — é ✓ \\\"q\\\"\\n\"}]}";
        String other = "{\"model\":\"o3\",\"messages\":[{\"role\":\"user\",\"content\":\"Tides 🌊\"}]}";
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO apex_audition.generations (id, run_id, lane_id, prompt_id, attempt, status, request_body, "
                        + "updated_at) VALUES (?, 'run-old', 'lane', 'p01', 1, 'completed', ?, now())")) {
            for (String[] row : List.of(new String[] {"g1", shared}, new String[] {"g2", shared},
                    new String[] {"g3", other})) {
                p.setString(1, row[0]);
                p.setString(2, row[1]);
                p.executeUpdate();
            }
        }

        // when the service's migrations run
        flyway(dataSource).load().migrate();

        // then each distinct body is one row under RequestBodyStored.hashOf, and the view joins each generation's back
        List<String> joined = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM apex_audition.request_bodies")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT generation_id, request_body_hash, request_body "
                    + "FROM apex_audition.generation_requests ORDER BY generation_id")) {
                while (rs.next()) {
                    assertThat(rs.getString(2)).isEqualTo(RequestBodyStored.hashOf(rs.getString(3)));
                    joined.add(rs.getString(1) + "=" + rs.getString(3));
                }
            }
        }
        assertThat(joined).containsExactly("g1=" + shared, "g2=" + shared, "g3=" + other);
    }

    /** The service's migrations, as it runs them at start. */
    private static FluentConfiguration flyway(PGSimpleDataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).schemas("apex_audition").createSchemas(true)
                .locations("classpath:db/migration");
    }
}
