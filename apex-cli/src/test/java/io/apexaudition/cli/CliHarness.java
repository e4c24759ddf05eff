package io.apexaudition.cli;

import io.apexaudition.testsupport.Database;
import io.apexaudition.testsupport.PostgresInfra;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CLI against a real database: a fresh one migrated with the recorder's own Flyway migrations (the recorder owns
 * the schema, so the CLI is tested against exactly what it reads), made the CLI's through the system properties
 * {@link StackSettings} reads; the shipped config from the repository root.
 */
final class CliHarness {
    static final Path MIGRATIONS = Path.of("../recorder-service/src/main/resources/db/migration");

    private CliHarness() {
    }

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
    }

    /** A fresh migrated database, which the CLI then uses. */
    static Database database() {
        if (!Files.isDirectory(MIGRATIONS)) {
            throw new IllegalStateException("the recorder's migrations are not at " + MIGRATIONS.toAbsolutePath()
                    + ": run the tests from the apex-cli module directory");
        }
        Database db = PostgresInfra.freshDatabase();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.jdbcUrl());
        ds.setUser(db.username());
        ds.setPassword(db.password() == null ? "" : db.password());
        Flyway.configure().dataSource(ds).schemas("apex_audition").createSchemas(true)
                .locations("filesystem:" + MIGRATIONS.toAbsolutePath().normalize()).load().migrate();
        System.setProperty("APEX_DB_URL", db.jdbcUrl());
        System.setProperty("APEX_DB_USER", db.username());
        System.setProperty("APEX_DB_PASSWORD", db.password() == null ? "" : db.password());
        System.setProperty("APEX_ROOT", "..");
        return db;
    }

    /** Runs {@code apex args...} as the command line does, capturing what it prints. */
    static Result apex(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ApexCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
