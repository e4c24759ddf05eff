package io.apexaudition.viewer;

import io.apexaudition.testsupport.Database;
import io.apexaudition.testsupport.PostgresInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A fresh real database with the recorder's schema (migrated by Flyway from the recorder's own migration files:
 * the recorder owns the schema, so the viewer is tested against exactly what it writes), seeded by seed.sql and
 * seed-judgments.sql.
 */
public class ViewerDatabaseResource implements QuarkusTestResourceLifecycleManager {
    static final Path MIGRATIONS = Path.of("../recorder-service/src/main/resources/db/migration");
    /** The runs of the viewer's tests; then a judged run, its judgments and diagnostics (the leaderboard's). */
    static final List<String> SEEDS = List.of("/seed.sql", "/seed-judgments.sql");

    @Override
    public Map<String, String> start() {
        if (!Files.isDirectory(MIGRATIONS)) {
            throw new IllegalStateException("the recorder's migrations are not at " + MIGRATIONS.toAbsolutePath()
                    + ": run the tests from the viewer-service module directory");
        }
        Database db = PostgresInfra.freshDatabase();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.jdbcUrl());
        ds.setUser(db.username());
        ds.setPassword(db.password() == null ? "" : db.password());
        Flyway.configure().dataSource(ds).schemas("apex_audition").createSchemas(true)
                .locations("filesystem:" + MIGRATIONS.toAbsolutePath().normalize()).load().migrate();
        for (String seed : SEEDS) {
            try (InputStream in = ViewerDatabaseResource.class.getResourceAsStream(seed);
                    Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException("could not seed the viewer's test database with " + seed, e);
            }
        }
        return Map.of("quarkus.datasource.jdbc.url", db.jdbcUrl(), "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password() == null ? "" : db.password());
    }

    @Override
    public void stop() {
        // the server lives as long as the JVM (PostgresInfra drops the database at exit)
    }
}
