package io.apexaudition.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real Postgres server for this JVM, chosen once: {@code APEX_DB_URL} (with {@code APEX_DB_USER} and
 * {@code APEX_DB_PASSWORD}) when set; else Testcontainers when {@code APEX_TEST_CONTAINERS=true}; else the local
 * server on 127.0.0.1:5432 when one accepts the {@code postgres} user; else an embedded Postgres
 * (io.zonky.test, real binaries). Each caller of {@link #freshDatabase} gets a new empty database, dropped
 * when the JVM exits.
 */
public final class PostgresInfra {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresInfra.class);
    private static final List<String> CREATED = new ArrayList<>();
    private static Database server;
    private static boolean sharedOnly;

    private PostgresInfra() {
    }

    /** A new, empty database on the chosen server (or the configured one itself if it may not create any). */
    public static synchronized Database freshDatabase() {
        Database admin = server();
        if (sharedOnly) {
            return admin;
        }
        String name = "apex_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            LOG.warn("Postgres: cannot create a database on {} ({}); tests share it", admin, e.getMessage());
            sharedOnly = true;
            return admin;
        }
        CREATED.add(name);
        return new Database(withDatabase(admin.jdbcUrl(), name), admin.username(), admin.password());
    }

    static synchronized Database server() {
        if (server == null) {
            server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresInfra::dropCreated));
        }
        return server;
    }

    private static Database start() {
        String url = System.getenv("APEX_DB_URL");
        if (url != null && !url.isBlank()) {
            LOG.info("Postgres: using APEX_DB_URL={}", url);
            return new Database(url, System.getenv().getOrDefault("APEX_DB_USER", "postgres"),
                    System.getenv().getOrDefault("APEX_DB_PASSWORD", ""));
        }
        if (Docker.isChosen()) {
            var pg = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
            pg.start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
            return new Database(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
        }
        Database local = new Database("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        if (accepts(local)) {
            LOG.info("Postgres: using the local server at 127.0.0.1:5432");
            return local;
        }
        return startEmbedded();
    }

    /** Starts an embedded Postgres (real binaries) on a free port for this JVM. */
    public static Database startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }));
            LOG.info("Postgres: embedded server on port {}", pg.getPort());
            return new Database(pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (Exception e) {
            throw new IllegalStateException("Could not start an embedded Postgres; set APEX_DB_URL to a server", e);
        }
    }

    private static boolean accepts(Database db) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
        } catch (Exception e) {
            return false;
        }
        try (Connection c = db.connect()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String query = q < 0 ? "" : jdbcUrl.substring(q);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + query;
    }

    private static synchronized void dropCreated() {
        if (CREATED.isEmpty() || server == null) {
            return;
        }
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            for (String name : CREATED) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException ignored) {
            // best effort at exit; leftover apex_it_* databases are harmless
        }
    }
}
