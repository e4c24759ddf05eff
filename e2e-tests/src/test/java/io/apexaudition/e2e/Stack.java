package io.apexaudition.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.cli.LocalStack;
import io.apexaudition.core.AdminToken;
import io.apexaudition.events.EventJson;
import io.apexaudition.testsupport.Database;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaProcess;
import io.apexaudition.testsupport.PostgresInfra;
import io.apexaudition.testsupport.ServiceProcess;
import io.apexaudition.testsupport.TcpProxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole system as separate processes on the test's broker and a fresh database, each started with the JVM options
 * and environment the local stack's definition gives it ({@link LocalStack}, the one {@code ./apex up} reads), on a
 * free port, with the test's wiring and settings on top.
 */
final class Stack implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The admin token every service of every stack gets; the in-process CLI sends it (a system property). */
    static final String ADMIN_TOKEN = "e2e-admin-token-" + UUID.randomUUID();

    final String kafka;
    final Database db;
    final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Path root = Path.of(System.getProperty("apex.repo.root", ".."));
    private final LocalStack definition = LocalStack.load();
    private final Path logs;
    private final Path state;

    private final AutoCloseable broker;
    /** The broker as a process of its own, when the test restarts it; otherwise null. */
    final KafkaProcess kafkaProcess;
    /** The relay between the services and Postgres, when the test cuts it; otherwise null. */
    final TcpProxy dbProxy;

    Stack() {
        this(false);
    }

    /**
     * @param faultableInfra a broker process the test can kill and restart, and Postgres behind a relay the test
     *                       can cut (the test itself still reaches Postgres directly)
     */
    Stack(boolean faultableInfra) {
        System.setProperty(AdminToken.ENV, ADMIN_TOKEN);
        String id = UUID.randomUUID().toString().substring(0, 8);
        logs = root.resolve("e2e-tests/target/e2e-logs/" + id);
        state = root.resolve("e2e-tests/target/e2e-state/" + id);
        db = PostgresInfra.freshDatabase();
        if (faultableInfra) {
            kafkaProcess = KafkaProcess.start(state);
            broker = kafkaProcess;
            kafka = kafkaProcess.bootstrapServers();
            Matcher hostPort = Pattern.compile("//([^/:]+):(\\d+)/").matcher(db.jdbcUrl());
            if (!hostPort.find()) {
                throw new IllegalStateException("no host:port in " + db.jdbcUrl());
            }
            dbProxy = TcpProxy.to(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
        } else {
            KafkaInfra.Broker isolated = KafkaInfra.isolatedBroker();
            broker = isolated;
            kafka = isolated.bootstrapServers();
            kafkaProcess = null;
            dbProxy = null;
        }
    }

    /** The JDBC URL the services use: through the relay when there is one. */
    String serviceJdbcUrl() {
        return dbProxy == null ? db.jdbcUrl()
                : db.jdbcUrl().replaceFirst("//[^/:]+:\\d+/", "//127.0.0.1:" + dbProxy.port() + "/");
    }

    /** Extra environment for every service a test starts after setting it. */
    final Map<String, String> serviceEnv = new HashMap<>();

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(serviceEnv);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("APEX_DB_URL", serviceJdbcUrl());
        env.put("APEX_DB_USER", db.username());
        env.put("APEX_DB_PASSWORD", db.password() == null ? "" : db.password());
        env.put("APEX_STATE_DIR", state.toString());
        env.put(AdminToken.ENV, ADMIN_TOKEN);
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
        // the simulator's listing shows a batch at once unless a test makes it lag: a short consistency window keeps
        // faults and crashes that leave a create in doubt from waiting the real providers' minute
        env.put("APEX_DISPATCHER_LISTING_CONSISTENCY", "PT3S");
        return env;
    }

    ServiceProcess startSimulator(Map<String, String> extraEnv) {
        ServiceProcess sim = start("simulator", definition.service("simulator").module(), extraEnv);
        simulatorUrl = sim.url();
        return sim;
    }

    /** GET an admin path of the simulator ({@code /_sim/batches}, {@code /_sim/ledger}) as JSON. */
    JsonNode sim(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(simulatorUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return EventJson.mapper().readTree(r.body());
    }

    /** Merges settings into the simulator's configuration at runtime ({@code POST /_sim/config}). */
    void configureSimulator(String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/_sim/config"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /_sim/config " + json + " answered " + r.statusCode() + ": "
                    + r.body());
        }
    }

    /** Every service of the definition but the simulator (started first, with the test's settings) and the viewer. */
    Stack startAll() {
        return startAll(1);
    }

    /**
     * Every service, with {@code instances} of each that may run more than once, the poller and both dispatchers (named
     * poller and dispatcher-openai, or poller-1, poller-2, dispatcher-openai-1, dispatcher-openai-2, ...), each under
     * its own transactional id.
     */
    Stack startAll(int instances) {
        for (LocalStack.Service s : definition.services()) {
            if (s.name().equals("poller") && instances > 1) {
                for (int i = 1; i <= instances; i++) {
                    startPoller(instance(s.name(), i, instances), Map.of());
                }
            } else if (s.name().startsWith("dispatcher-") && instances > 1) {
                String provider = s.name().substring("dispatcher-".length());
                for (int i = 1; i <= instances; i++) {
                    startDispatcher(instance(s.name(), i, instances), provider, Map.of());
                }
            } else if (!s.name().equals("simulator") && !s.name().equals("viewer")) {
                start(s.name(), s.module(), s.callsProviders() ? providerEnv() : Map.of());
            }
        }
        List<ServiceProcess> all = new ArrayList<>(services.values());
        all.forEach(s -> s.awaitReady(Duration.ofSeconds(120)));
        return this;
    }

    /** The name of instance {@code i} of {@code instances} of a service: its own name when it runs alone. */
    static String instance(String service, int i, int instances) {
        return instances == 1 ? service : service + "-" + i;
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

    /**
     * One more poller instance: it joins the consumer group of the others and takes its share of the partitions. Its
     * transactional id is its name, since instances on one host share the default (the host name).
     */
    ServiceProcess startPoller(String name, Map<String, String> extraEnv) {
        Map<String, String> env = providerEnv();
        env.put("APEX_POLLER_TRANSACTIONAL_ID", "apex-" + name);
        env.putAll(extraEnv);
        return start(name, "poller-service", env);
    }

    ServiceProcess startDispatcher(String provider) {
        LocalStack.Service dispatcher = definition.service("dispatcher-" + provider);
        return start(dispatcher.name(), dispatcher.module(), providerEnv());
    }

    /**
     * One more dispatcher of {@code provider} (either provider's scale out), started as the
     * definition's {@code dispatcher-<provider>} under {@code name}: it joins that provider's consumer group and takes
     * its share of the request partitions. Its transactional id, which is also its static group membership, is its
     * name, since instances on one host share the default (the host name).
     */
    ServiceProcess startDispatcher(String name, String provider, Map<String, String> extraEnv) {
        Map<String, String> env = providerEnv();
        env.put("APEX_DISPATCHER_TRANSACTIONAL_ID", "apex-" + name);
        env.putAll(extraEnv);
        return start(name, definition.service("dispatcher-" + provider), env);
    }

    /**
     * The one of two instances that dies: the first found dead when they run armed with one kill point (whichever
     * reaches it halts), else {@code victim} (1 or 2), SIGKILLed {@code killAfterMillis} from now.
     */
    static ServiceProcess oneOfTwoDies(ServiceProcess first, ServiceProcess second, boolean atKillPoint, int victim,
                                       long killAfterMillis) throws InterruptedException {
        if (atKillPoint) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(180))
                    .until(() -> !first.isAlive() || !second.isAlive());
            return first.isAlive() ? second : first;
        }
        Thread.sleep(killAfterMillis);
        ServiceProcess dead = victim == 1 ? first : second;
        dead.kill();
        return dead;
    }

    /**
     * Starts {@code module} as the definition's service {@code name} (or, for a name it lacks, such as a second
     * recorder, as the first of its services that runs the module): its JVM options and environment, then the
     * stack's wiring ({@link #env()}), then {@code extraEnv}.
     */
    ServiceProcess start(String name, String module, Map<String, String> extraEnv) {
        return start(name, definition.services().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseGet(() -> definition.serviceOfModule(module)), extraEnv);
    }

    /** Starts the definition's service {@code defined} under {@code name}, as {@link #start(String, String, Map)}. */
    private ServiceProcess start(String name, LocalStack.Service defined, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(System.getenv());
        defined.applyTo(env);
        env.putAll(env());
        env.putAll(extraEnv);
        ServiceProcess service = ServiceProcess.start(name, defined.jar(root), defined.jvmOptions(), env, logs);
        services.put(name, service);
        return service;
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
        if (dbProxy != null) {
            dbProxy.close();
        }
        try {
            broker.close();
        } catch (Exception ignored) {
            // the JVM ends soon; its log dirs are deleted with it
        }
    }
}
