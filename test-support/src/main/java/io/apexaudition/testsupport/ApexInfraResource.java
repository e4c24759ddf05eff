package io.apexaudition.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real broker (topics created from the registry) and a fresh real
 * database, as Quarkus configuration.
 */
public class ApexInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String kafka = KafkaInfra.bootstrapServers();
        Database db = PostgresInfra.freshDatabase();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka);
        config.put("quarkus.kafka-streams.bootstrap-servers", kafka);
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        config.put("quarkus.datasource.username", db.username());
        config.put("quarkus.datasource.password", db.password() == null ? "" : db.password());
        return config;
    }

    @Override
    public void stop() {
        // the broker and the server live as long as the JVM; each test class got its own database
    }
}
