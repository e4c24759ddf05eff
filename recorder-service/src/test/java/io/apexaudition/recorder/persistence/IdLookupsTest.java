package io.apexaudition.recorder.persistence;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;
import io.apexaudition.recorder.messaging.MigratedDatabase;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lookup by a batch's ids is never prepared on the server, so Postgres plans it for each batch's ids rather than
 * keeping a generic plan made while the table was small.
 */
class IdLookupsTest {
    private static final String LOOKUP = "SELECT id FROM apex_audition.generations WHERE id = ANY (?)";

    @Test
    void shouldNotPrepareALookupOnTheServerHoweverOftenItRuns() throws Exception {
        try (Connection c = MigratedDatabase.fresh().getConnection()) {
            // given a lookup run ten times on one connection, once through IdLookups, once as any statement
            for (int i = 0; i < 10; i++) {
                run(IdLookups.prepare(c, LOOKUP));
            }
            long throughIdLookups = preparedOnServer(c, "WHERE id = ANY");
            for (int i = 0; i < 10; i++) {
                run(c.prepareStatement(LOOKUP + " AND true"));
            }

            // then only the other one was prepared on the server (where a generic plan could stay)
            assertThat(throughIdLookups).isZero();
            assertThat(preparedOnServer(c, "AND true")).isEqualTo(1);
        }
    }

    @Test
    void shouldLookOutputsUpWithoutPreparingOnTheServer() throws Exception {
        try (Connection c = MigratedDatabase.fresh().getConnection()) {
            // given a batch with an output, measured ten times on one connection (the recorder's pool keeps them)
            List<ApexEvent> batch = List.of(output());
            for (int i = 0; i < 10; i++) {
                OutputProjection.measure(c, batch);
            }

            // then its lookup of the outputs' rows was planned each time
            assertThat(preparedOnServer(c, "= ANY")).isZero();
        }
    }

    private static void run(PreparedStatement statement) throws SQLException {
        try (statement) {
            statement.setArray(1, statement.getConnection().createArrayOf("text", new Object[] {"g-1", "g-2"}));
            statement.executeQuery().close();
        }
    }

    private static long preparedOnServer(Connection c, String text) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%' || ? || '%'")) {
            p.setString(1, text);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static GenerationCompleted output() {
        return new GenerationCompleted("c-g-1", 1, Instant.parse("2026-12-04T10:00:00Z"), "run-1", "g-1", 1, "cond-1",
                "lane-1", "p-1", 1, "openai", "gpt-4o", RunMode.BATCH, "batch_1", "custom-1",
                GenerationStatus.COMPLETED, "Rain on the roof.", "stop", new Usage(1, 0, 0, 1, 0), false,
                new BigDecimal("0.000750"), null, null, "hash");
    }
}
