package io.apexaudition.e2e;

import io.apexaudition.events.Providers;
import io.apexaudition.testsupport.Database;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.PostgresInfra;
import io.apexaudition.testsupport.ServiceProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The whole system as separate processes on the test's broker and a fresh database. */
final class Stack implements AutoCloseable {
    final String kafka;
    final Database db;
    final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Path root = Path.of(System.getProperty("apex.repo.root", ".."));
    private final Path logs;
    private final Path state;

    private final KafkaInfra.Broker broker;

    Stack() {
        broker = KafkaInfra.isolatedBroker();
        kafka = broker.bootstrapServers();
        db = PostgresInfra.freshDatabase();
        String id = UUID.randomUUID().toString().substring(0, 8);
        logs = root.resolve("e2e-tests/target/e2e-logs/" + id);
        state = root.resolve("e2e-tests/target/e2e-state/" + id);
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("APEX_DB_URL", db.jdbcUrl());
        env.put("APEX_DB_USER", db.username());
        env.put("APEX_DB_PASSWORD", db.password() == null ? "" : db.password());
        env.put("APEX_STATE_DIR", state.toString());
        return env;
    }

    /** The simulator's base URL once started. */
    String simulatorUrl;

    Map<String, String> providerEnv() {
        Map<String, String> env = new HashMap<>();
        if (simulatorUrl != null) {
            env.put("APEX_OPENAI_BASE_URL", simulatorUrl);
            env.put("APEX_ANTHROPIC_BASE_URL", simulatorUrl);
        }
        env.put("OPENAI_API_KEY", "sim-openai-key");
        env.put("ANTHROPIC_API_KEY", "sim-anthropic-key");
        env.put("APEX_POLL_MIN_INTERVAL", "PT0.2S");
        env.put("APEX_POLL_MAX_INTERVAL", "PT1S");
        return env;
    }

    ServiceProcess startSimulator(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("QUARKUS_PROFILE", "local"));
        env.putAll(extraEnv);
        ServiceProcess sim = start("simulator", "provider-simulator", env);
        simulatorUrl = sim.url();
        return sim;
    }

    Stack startAll() {
        start("recorder", "recorder-service", Map.of());
        start("planner", "planner-service", Map.of());
        startDispatcher(Providers.OPENAI);
        startDispatcher(Providers.ANTHROPIC);
        start("poller", "poller-service", providerEnv());
        List<ServiceProcess> all = new ArrayList<>(services.values());
        all.forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
        return this;
    }

    /**
     * Points the in-process CLI at this stack (its settings are read from system properties of the same names
     * as the environment variables) and registers the shipped lanes and prompts through the planner.
     */
    void registerCatalog() {
        System.setProperty("APEX_DB_URL", db.jdbcUrl());
        System.setProperty("APEX_DB_USER", db.username());
        System.setProperty("APEX_DB_PASSWORD", db.password() == null ? "" : db.password());
        System.setProperty("KAFKA_BOOTSTRAP_SERVERS", kafka);
        String planner = services.get("planner").url();
        if (cli("lanes", "register", "--config", "../config/creative_benchmark.yaml", "--models",
                "../config/models.yaml", "--planner-url", planner) != 0
                || cli("prompts", "ingest", "--config", "../config/prompts", "--planner-url", planner) != 0) {
            throw new IllegalStateException("registering the shipped lanes and prompts failed; see the output above");
        }
    }

    /** Runs the apex CLI in this JVM. */
    static int cli(String... args) {
        return new picocli.CommandLine(new io.apexaudition.cli.ApexCli()).execute(args);
    }

    ServiceProcess startDispatcher(String provider) {
        Map<String, String> env = providerEnv();
        env.put("APEX_DISPATCHER_PROVIDER", provider);
        return start("dispatcher-" + provider, "dispatcher-service", env);
    }

    ServiceProcess start(String name, String module, Map<String, String> extraEnv) {
        Map<String, String> env = env();
        env.putAll(extraEnv);
        ServiceProcess service = ServiceProcess.start(name, ServiceProcess.jarOf(root, module), env, logs);
        services.put(name, service);
        return service;
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
        try {
            broker.close();
        } catch (Exception ignored) {
            // the JVM ends soon; its log dirs are deleted with it
        }
    }
}
