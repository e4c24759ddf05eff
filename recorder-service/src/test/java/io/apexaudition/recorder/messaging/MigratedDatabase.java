package io.apexaudition.recorder.messaging;

import io.apexaudition.testsupport.Database;
import io.apexaudition.testsupport.PostgresInfra;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh database with the recorder's schema, migrated as the service migrates it at start. */
public final class MigratedDatabase {
    private MigratedDatabase() {
    }

    public static PGSimpleDataSource fresh() {
        Database db = PostgresInfra.freshDatabase();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(db.username());
        dataSource.setPassword(db.password() == null ? "" : db.password());
        Flyway.configure().dataSource(dataSource).schemas("apex_audition").createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
