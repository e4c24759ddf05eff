package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.strimzi.api.kafka.model.kafka.Kafka;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every variable a deployment sets is a configuration the service reads, and points at what really runs there. */
class ConfigWiringTest {

    @Test
    void shouldSetOnlyPropertiesTheServiceReadsInKubernetes() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (Deployment deployment : manifests.all(Deployment.class)) {
                String name = deployment.getMetadata().getName();
                ServiceConfig config = Deployable.byDeployment(name).config();

                assertThat(manifests.variables(name).keySet()).as("%s: Deployment %s (and its ConfigMap) sets names "
                        + "%s does not read: use property keys of its application.properties", overlay, name,
                        config.module).allSatisfy(key -> assertThat(config.reads(key)).as(key).isTrue());
            }
        }
    }

    @Test
    void shouldSetOnlyVariablesTheServiceReadsInCompose() {
        Compose compose = Compose.load();
        for (Deployable service : Deployable.ALL) {
            ServiceConfig config = service.config();
            assertThat(compose.service(service.composeService()).environment().keySet()).as("%s: service %s sets "
                    + "variables %s does not read (see ServiceConfig for what counts)", Compose.FILE,
                    service.composeService(), config.module).allSatisfy(k -> assertThat(config.reads(k)).as(k).isTrue());
        }
    }

    @Test
    void shouldFailOnAMisspeltVariable() {
        ServiceConfig config = ServiceConfig.parse("x", """
                kafka.bootstrap.servers=${KAFKA_BOOTSTRAP_SERVERS:localhost:9092}
                quarkus.http.port=8082
                %test.quarkus.http.test-port=0
                """);

        assertThat(config.reads("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
        assertThat(config.reads("kafka.bootstrap.servers")).isTrue();
        assertThat(config.reads("QUARKUS_HTTP_PORT")).isTrue();
        assertThat(config.reads("quarkus.http.test-port")).isTrue();
        assertThat(config.reads("KAFKA_BOOTSTRAP_SERVER")).isFalse();
        assertThat(config.reads("kafka.bootstrap.server")).isFalse();
        assertThat(config.reads("QUARKUS_HTTP_PROT")).isFalse();
    }

    @Test
    void shouldDeclareWhatEachServiceTalksToAsItsConfigurationDoes() {
        for (Deployable service : Deployable.ALL) {
            ServiceConfig config = service.config();
            assertThat(bootstrapKeys(config).isEmpty()).as("%s defines a Kafka bootstrap exactly when Deployable %s "
                    + "says it uses Kafka", service.module(), service.deployment()).isEqualTo(!service.kafka());
            assertThat(config.keys().contains("quarkus.datasource.jdbc.url")).as("%s defines a datasource exactly "
                    + "when Deployable %s says it uses Postgres", service.module(), service.deployment())
                    .isEqualTo(service.database());
        }
    }

    @Test
    void shouldPointEveryServiceAtTheStrimziBootstrapAndThePostgresService() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            Kafka kafka = manifests.all(Kafka.class).get(0);
            String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:"
                    + kafka.getSpec().getKafka().getListeners().get(0).getPort();
            for (Deployment deployment : manifests.all(Deployment.class)) {
                String name = deployment.getMetadata().getName();
                Deployable service = Deployable.byDeployment(name);
                if (!service.kafka()) {
                    continue;
                }
                ServiceConfig config = service.config();
                Map<String, String> variables = manifests.variables(name);
                // every client of the service (channels, health checks, Streams, publishers) must reach the cluster
                List<String> bootstrapKeys = bootstrapKeys(config);
                assertThat(bootstrapKeys).as("%s: %s defines its Kafka bootstrap", overlay, name).isNotEmpty();
                for (String key : bootstrapKeys) {
                    assertThat(config.value(key, variables)).as("%s: Deployment %s %s should be the Strimzi "
                            + "bootstrap service (derive it from the property the ConfigMap sets)", overlay, name, key)
                            .isEqualTo(bootstrap);
                }
            }

            StatefulSet postgres = manifests.require(StatefulSet.class, "apex-postgres");
            Map<String, String> pgEnv = new java.util.HashMap<>();
            postgres.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                    .forEach(e -> pgEnv.put(e.getName(), e.getValue()));
            int pgPort = manifests.require(Service.class, "apex-postgres").getSpec().getPorts().get(0).getPort();
            List<Deployable> readers = Deployable.ALL.stream().filter(Deployable::database).toList();
            assertThat(readers).extracting(Deployable::deployment).contains("apex-recorder", "apex-viewer");
            for (Deployable service : readers) {
                String name = service.deployment();
                ServiceConfig config = service.config();
                Map<String, String> variables = manifests.variables(name);
                assertThat(config.value("quarkus.datasource.jdbc.url", variables)).as("%s: %s JDBC URL", overlay,
                        name).isEqualTo("jdbc:postgresql://apex-postgres:" + pgPort + "/" + pgEnv.get("POSTGRES_DB"));
                assertThat(config.value("quarkus.datasource.username", variables)).as("%s: %s user", overlay, name)
                        .isEqualTo(pgEnv.get("POSTGRES_USER"));
                assertThat(variables.get("quarkus.datasource.password")).as("%s: %s password", overlay, name)
                        .isEqualTo("<secret apex-db/password>");
            }
        }
    }

    private static List<String> bootstrapKeys(ServiceConfig config) {
        return config.keys().stream()
                .filter(k -> k.endsWith("bootstrap.servers") || k.endsWith("bootstrap-servers")).toList();
    }

    @Test
    void shouldCallTheSimulatorInDevAndTheRealProvidersInProd() {
        Map<String, String> expected = Map.of(
                "deploy/overlays/dev", "http://apex-simulator:8086",
                "deploy/overlays/prod", "https://api.");
        expected.forEach((overlay, prefix) -> {
            Manifests manifests = Manifests.render(overlay);
            for (String name : java.util.List.of("apex-dispatcher-openai", "apex-dispatcher-anthropic", "apex-poller")) {
                ServiceConfig config = Deployable.byDeployment(name).config();
                Map<String, String> variables = manifests.variables(name);
                for (String provider : java.util.List.of("openai", "anthropic")) {
                    if (name.contains("dispatcher") && !name.endsWith(provider)) {
                        continue;
                    }
                    assertThat(config.value("quarkus.rest-client." + provider + ".url", variables))
                            .as("%s: Deployment %s base URL of %s", overlay, name, provider).startsWith(prefix);
                }
            }
        });
    }

    @Test
    void shouldWireComposeServicesToTheBrokerTheDatabaseAndTheSimulator() {
        Compose compose = Compose.load();
        Map<String, String> kafka = compose.service("kafka").resolvedEnvironment();
        Map<String, String> postgres = compose.service("postgres").resolvedEnvironment();
        assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");

        for (Deployable service : Deployable.ALL) {
            if (service.devOnly()) {
                continue;
            }
            Map<String, String> env = compose.service(service.composeService()).resolvedEnvironment();
            ServiceConfig config = service.config();
            if (service.kafka()) {
                String key = service.module().equals("planner-service") ? "quarkus.kafka-streams.bootstrap-servers"
                        : "kafka.bootstrap.servers";
                assertThat(config.value(key, env)).as("%s: %s broker", Compose.FILE, service.composeService())
                        .isEqualTo("kafka:9092");
            }
            if (service.database()) {
                assertThat(config.value("quarkus.datasource.jdbc.url", env)).as("%s: %s JDBC URL", Compose.FILE,
                        service.composeService()).isEqualTo("jdbc:postgresql://postgres:5432/"
                        + postgres.get("POSTGRES_DB"));
                assertThat(config.value("quarkus.datasource.username", env)).as("%s: %s user", Compose.FILE,
                        service.composeService()).isEqualTo(postgres.get("POSTGRES_USER"));
                assertThat(env.get("APEX_DB_PASSWORD")).as("%s: %s password from .env", Compose.FILE,
                        service.composeService()).isEqualTo(Compose.REQUIRED);
            }
            for (String provider : java.util.List.of("openai", "anthropic")) {
                String url = config.value("quarkus.rest-client." + provider + ".url", env);
                if (env.containsKey("APEX_" + provider.toUpperCase() + "_BASE_URL")) {
                    assertThat(url).as("%s: %s calls %s at the simulator unless .env says otherwise", Compose.FILE,
                            service.composeService(), provider).isEqualTo("http://simulator:8086");
                }
            }
        }
        assertThat(postgres.get("POSTGRES_PASSWORD")).isEqualTo(Compose.REQUIRED);
    }
}
