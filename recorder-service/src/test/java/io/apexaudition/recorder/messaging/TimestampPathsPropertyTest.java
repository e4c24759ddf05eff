package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.ds.PGSimpleDataSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events carry nanoseconds, Postgres keeps microseconds: the live path (JDBC) and the rebuild's COPY path must
 * round an instant to the same microsecond, or a rebuild changes the timestamps it was meant to reproduce. The
 * driver rounds half up and Postgres's text input half to even, so they part exactly on a remainder of 500 ns
 * after an even microsecond, which is what this generates half the time.
 */
class TimestampPathsPropertyTest {
    private static final Instant AT = Instant.parse("2026-12-02T00:55:58Z");
    private static PGSimpleDataSource dataSource;

    @BeforeContainer
    static void migrate() {
        dataSource = MigratedDatabase.fresh();
    }

    @Property(tries = 40, seed = "20261202")
    void shouldStoreTheSameMicrosecondThroughTheLiveAndTheRebuildPath(
            @ForAll @IntRange(min = 0, max = 999_999) int micros, @ForAll boolean halfway,
            @ForAll @IntRange(min = 0, max = 999) int remainder) throws Exception {
        // given a result that happened at an instant with nanoseconds, often exactly halfway between two microseconds
        Instant at = AT.plusNanos(micros * 1000L + (halfway ? 500 : remainder));
        GenerationCompleted result = result(at);
        ProjectionRepository repository = new ProjectionRepository(dataSource);

        // when it is recorded by the live path, and again into empty tables by the rebuild's path
        repository.truncateAll();
        repository.record(List.<ApexEvent>of(result));
        List<String> live = times();
        repository.truncateAll();
        Interleaving.rebuild(repository, List.of(List.<ApexEvent>of(result)));
        List<String> rebuilt = times();

        // then both stored the same instants
        assertThat(rebuilt).as("instant %s", at).isEqualTo(live);
    }

    private static GenerationCompleted result(Instant at) {
        String id = EventIds.generationId("run-time", "4o.t0-6", "p-time", 1);
        return new GenerationCompleted("gc-time", 1, at, "run-time", id, 1, "cond-4o", "4o.t0-6", "p-time", 1,
                Providers.OPENAI, "gpt-4o", RunMode.SYNC, null, EventIds.customId(id, 1), GenerationStatus.COMPLETED,
                "An answer.", "stop", new Usage(10, 0, 0, 5, 0), false, new BigDecimal("0.000100"), null, null, null);
    }

    private static List<String> times() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT g.completed_at::text || '|' || g.updated_at::text || '|' "
                     + "|| a.ended_at::text FROM apex_audition.generations g JOIN apex_audition.generation_attempts a "
                     + "ON a.generation_id = g.id")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
