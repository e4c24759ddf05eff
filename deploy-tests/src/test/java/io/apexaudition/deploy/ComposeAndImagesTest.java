package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.kafka.Kafka;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The compose file, the Dockerfiles and the Kubernetes manifests agree on images, ports and health checks. */
class ComposeAndImagesTest {
    private static final Pattern HEALTH_URL = Pattern.compile("http://localhost:(\\d+)(/q/health/\\w+)");

    @Test
    void shouldUseTheSameImagesInComposeAndKubernetes() {
        Compose compose = Compose.load();
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (Deployment deployment : manifests.all(Deployment.class)) {
                String name = deployment.getMetadata().getName();
                Deployable service = Deployable.byDeployment(name);
                String composeImage = Compose.interpolate(compose.service(service.composeService()).image());

                assertThat(composeImage).as("%s: service %s image", Compose.FILE, service.composeService())
                        .startsWith(service.image() + ":");
                assertThat(manifests.container(name).getImage()).as("%s: Deployment %s image should be the compose "
                        + "service %s's image (set its tag under images: in the overlay)", overlay, name,
                        service.composeService()).isEqualTo(composeImage);
            }
        }
        Container rebuild = Manifests.render(Manifests.REBUILD_JOB).all(Job.class).get(0).getSpec().getTemplate()
                .getSpec().getContainers().get(0);
        assertThat(rebuild.getImage()).as("deploy/jobs/rebuild uses the recorder's image (it has curl)")
                .isEqualTo(Compose.interpolate(compose.service("recorder").image()));
        assertThat(String.join(" ", rebuild.getCommand())).as("the rebuild Job calls the recorder's rebuild endpoint")
                .contains("-X POST http://apex-recorder:8085/api/rebuild")
                .contains("--header Authorization: Bearer $(APEX_ADMIN_TOKEN)");
        assertThat(rebuild.getEnv()).as("the rebuild Job sends the admin token of the apex-admin Secret")
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("APEX_ADMIN_TOKEN");
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("apex-admin");
                    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
                });
    }

    @Test
    void shouldPublishEveryComposePortOnTheLoopbackInterfaceOnly() {
        // Kafka, Postgres and the health endpoints take no token: another machine must not reach them by default
        Compose.load().services().forEach((name, service) -> {
            for (String port : service.ports() == null ? List.<String>of() : service.ports()) {
                assertThat(port).as("%s: service %s publishes %s on every interface: write \"127.0.0.1:%s\"",
                        Compose.FILE, name, port, port).startsWith("127.0.0.1:");
            }
        });
    }

    @Test
    void shouldCheckHealthOfEveryComposeServiceOnItsOwnPort() {
        Compose compose = Compose.load();
        for (Deployable service : Deployable.ALL) {
            Compose.Service s = compose.service(service.composeService());
            String listens = service.config().value("quarkus.http.port", s.resolvedEnvironment());
            assertThat(listens).as("%s: %s listens on quarkus.http.port (set QUARKUS_HTTP_PORT)", Compose.FILE,
                    service.composeService()).isEqualTo(String.valueOf(service.port()));
            assertThat(s.healthcheck()).as("%s: %s needs a healthcheck", Compose.FILE, service.composeService())
                    .isNotNull();
            Matcher m = HEALTH_URL.matcher(String.join(" ", s.healthcheck().test()));
            assertThat(m.find()).as("%s: %s healthcheck should curl http://localhost:PORT/q/health/ready",
                    Compose.FILE, service.composeService()).isTrue();
            assertThat(m.group(1)).as("%s: %s healthcheck port", Compose.FILE, service.composeService())
                    .isEqualTo(String.valueOf(service.port()));
            assertThat(m.group(2)).isEqualTo("/q/health/ready");
            assertThat(s.readOnly()).as("%s: %s read_only", Compose.FILE, service.composeService()).isTrue();
            assertThat(s.tmpfs()).as("%s: %s tmpfs", Compose.FILE, service.composeService())
                    .anyMatch(t -> t.equals("/tmp") || t.startsWith("/tmp:"));
            assertThat(s.build()).as("%s: %s builds from its module's Dockerfile.jvm", Compose.FILE,
                    service.composeService()).isEqualTo(new Compose.Build("./" + service.module(),
                    "src/main/docker/Dockerfile.jvm"));
        }
    }

    @Test
    void shouldStartServicesAfterTheTopicsExistAndTheirDependenciesAreHealthy() {
        Compose compose = Compose.load();
        for (Deployable service : Deployable.ALL) {
            Compose.Service s = compose.service(service.composeService());
            if (service.devOnly()) {
                assertThat(s.profiles()).as("%s: the simulator runs only in profile sim", Compose.FILE)
                        .containsExactly("sim");
                continue;
            }
            assertThat(s.profiles()).as("%s: %s runs in every profile", Compose.FILE, service.composeService())
                    .isEmpty();
            if (service.kafka()) {
                assertThat(s.dependsOn()).as("%s: %s starts after the topics are created", Compose.FILE,
                        service.composeService()).containsEntry("topics",
                        new Compose.DependsOn("service_completed_successfully", null));
            }
            if (service.database()) {
                assertThat(s.dependsOn()).as("%s: %s starts once Postgres is healthy", Compose.FILE,
                        service.composeService()).containsEntry("postgres",
                        new Compose.DependsOn("service_healthy", null));
            }
            Map<String, String> env = s.resolvedEnvironment();
            boolean callsSimulator = env.values().stream().anyMatch(v -> v.contains("simulator:"));
            if (callsSimulator) {
                assertThat(s.dependsOn()).as("%s: %s waits for the simulator when its profile runs", Compose.FILE,
                        service.composeService()).containsEntry("simulator",
                        new Compose.DependsOn("service_healthy", false));
            }
        }
        assertThat(compose.service("topics").dependsOn()).containsEntry("kafka",
                new Compose.DependsOn("service_healthy", null));
        for (String infra : List.of("kafka", "postgres")) {
            assertThat(compose.service(infra).healthcheck()).as("%s: %s healthcheck", Compose.FILE, infra).isNotNull();
        }
    }

    @Test
    void shouldRunTheSameKafkaVersionInComposeAndStrimzi() {
        // the default image (${APEX_KAFKA_IMAGE:-apache/kafka:...}); scripts/compose-smoke.sh sets one built here
        String composeImage = Compose.interpolate(Compose.load().service("kafka").image());
        assertThat(Compose.load().service("topics").image()).as("%s: topics runs Kafka's own image", Compose.FILE)
                .isEqualTo(Compose.load().service("kafka").image());
        for (String overlay : Manifests.OVERLAYS) {
            Kafka kafka = Manifests.render(overlay).all(Kafka.class).get(0);
            assertThat(composeImage).as("%s: apache/kafka image should be the version of %s's Kafka",
                    Compose.FILE, overlay).isEqualTo("apache/kafka:" + kafka.getSpec().getKafka().getVersion());
            assertThat(kafka.getSpec().getKafka().getVersion()).startsWith("4.1.");
        }
    }

    @Test
    void shouldBuildEveryServiceImageTheQuarkusWayAsNonRootWithAHealthCheck() {
        for (Deployable service : Deployable.ALL) {
            String file = service.module() + "/src/main/docker/Dockerfile.jvm";
            String dockerfile = RepoFiles.read(file);
            int port = Integer.parseInt(service.config().value("quarkus.http.port", Map.of()));

            assertThat(dockerfile).as("%s: the ubi9 OpenJDK 17 runtime image by default, another by --build-arg "
                    + "BASE_IMAGE (apex/jre17, deploy/docker/jre17, where no registry is reachable)", file)
                    .containsPattern("(?m)^ARG BASE_IMAGE=registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime:")
                    .containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$");
            assertThat(dockerfile).as("%s: copies the fast-jar", file)
                    .contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/")
                    .contains("ENV JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
            assertThat(dockerfile).as("%s: runs as uid 185, never root", file).containsPattern("(?m)^USER 185$");
            assertThat(dockerfile).as("%s: exposes the service's default port %d", file, port)
                    .containsPattern("(?m)^EXPOSE " + port + "$");
            assertThat(dockerfile).as("%s: a HEALTHCHECK on /q/health/ready at the default port", file)
                    .containsPattern("(?m)^HEALTHCHECK ")
                    .contains("http://localhost:${QUARKUS_HTTP_PORT:-" + port + "}/q/health/ready");
            assertThat(RepoFiles.read(service.module() + "/.dockerignore")).as("%s/.dockerignore sends only "
                    + "target/quarkus-app to the build", service.module()).contains("!target/quarkus-app/");
        }
    }

    @Test
    void shouldBuildTheImagesOfAMachineWithoutARegistryFromTheSameFiles() {
        // scripts/compose-smoke.sh: a Debian base (debootstrap), then every image with --build-arg BASE_IMAGE
        for (String dir : List.of("deploy/docker/jre17", "deploy/docker/kafka", "deploy/docker/postgres")) {
            assertThat(RepoFiles.read(dir + "/Dockerfile")).as("%s/Dockerfile takes its base as a build argument", dir)
                    .containsPattern("(?m)^ARG BASE_IMAGE=\\S+$").containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$");
        }
        assertThat(RepoFiles.read("deploy/docker/jre17/Dockerfile")).as("apex/jre17 stands in for the UBI runtime")
                .contains("openjdk-17-jre-headless").contains("curl").contains("--uid 185")
                .contains("/opt/jboss/container/java/run/run-java.sh");
        Compose compose = Compose.load();
        assertThat(compose.service("kafka").image()).as("%s: kafka's image can be one built here", Compose.FILE)
                .startsWith("${APEX_KAFKA_IMAGE:-");
        assertThat(compose.service("postgres").image()).as("%s: postgres's image can be one built here", Compose.FILE)
                .startsWith("${APEX_POSTGRES_IMAGE:-");
        String kafkaVersion = Pattern.compile("<artifactId>kafka-tools</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(RepoFiles.read("test-support/pom.xml")).results().map(m -> m.group(1)).findFirst().orElseThrow();
        assertThat(RepoFiles.read("deploy/docker/kafka/pom.xml")).as("the Kafka image runs the broker of the tests")
                .containsPattern("<artifactId>kafka_2\\.13</artifactId>\\s*<version>" + Pattern.quote(kafkaVersion))
                .containsPattern("<artifactId>kafka-tools</artifactId>\\s*<version>" + Pattern.quote(kafkaVersion));
        assertThat(RepoFiles.read("scripts/compose-smoke.sh")).as("the smoke tags the Kafka image with its version")
                .contains("KAFKA_IMAGE=apex/kafka:" + kafkaVersion);
    }

    @Test
    void shouldNeverEnableTheSimulatorsAdminEndpoints() {
        Compose compose = Compose.load();
        compose.services().forEach((name, s) -> assertThat(s.environment()).as("%s: %s must not set QUARKUS_PROFILE "
                + "(local/test enable the simulator's admin endpoints)", Compose.FILE, name)
                .doesNotContainKeys("QUARKUS_PROFILE", "quarkus.profile"));
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (Deployment d : manifests.all(Deployment.class)) {
                assertThat(manifests.variables(d.getMetadata().getName())).as("%s: %s must not set the profile",
                        overlay, d.getMetadata().getName()).doesNotContainKeys("QUARKUS_PROFILE", "quarkus.profile",
                        "apex.simulator.admin.enabled");
            }
        }
    }
}
