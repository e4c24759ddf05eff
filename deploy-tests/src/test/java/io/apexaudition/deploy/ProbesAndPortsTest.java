package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each probe asks the endpoint the service serves (smallrye-health), on the port it listens on. */
class ProbesAndPortsTest {
    private static final Map<String, String> HEALTH = Map.of(
            "startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
            "livenessProbe", "/q/health/live");

    @Test
    void shouldProbeOnlyHealthEndpointsTheServiceServes() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (Deployment deployment : manifests.all(Deployment.class)) {
                // given
                String name = deployment.getMetadata().getName();
                Deployable service = Deployable.byDeployment(name);
                Container container = manifests.container(name);
                assertThat(RepoFiles.read(service.module() + "/pom.xml")).as("%s serves /q/health only with the "
                        + "quarkus-smallrye-health extension", service.module()).contains("quarkus-smallrye-health");

                // when
                Map<String, Probe> probes = Map.of("startupProbe", nonNull(container.getStartupProbe()),
                        "readinessProbe", nonNull(container.getReadinessProbe()),
                        "livenessProbe", nonNull(container.getLivenessProbe()));

                // then
                probes.forEach((kind, probe) -> {
                    assertThat(probe.getHttpGet()).as("%s: Deployment %s needs an httpGet %s on %s", overlay, name,
                            kind, HEALTH.get(kind)).isNotNull();
                    assertThat(probe.getHttpGet().getPath()).as("%s: Deployment %s %s path", overlay, name, kind)
                            .isEqualTo(HEALTH.get(kind));
                    assertThat(portNumber(container, probe.getHttpGet().getPort())).as("%s: Deployment %s %s port "
                            + "should be the port the service listens on", overlay, name, kind)
                            .isEqualTo(service.port());
                });
            }
        }
    }

    @Test
    void shouldListenOnThePortTheDeploymentExposes() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (Deployment deployment : manifests.all(Deployment.class)) {
                String name = deployment.getMetadata().getName();
                Deployable service = Deployable.byDeployment(name);

                String listens = service.config().value("quarkus.http.port", manifests.variables(name));

                assertThat(listens).as("%s: Deployment %s listens on quarkus.http.port=%s; set it in ConfigMap %s "
                        + "or fix Deployable", overlay, name, listens, name).isEqualTo(String.valueOf(service.port()));
                assertThat(manifests.container(name).getPorts()).as("%s: Deployment %s containerPort", overlay, name)
                        .singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(service.port()));
                Service svc = manifests.require(Service.class, name);
                assertThat(svc.getSpec().getPorts()).as("%s: Service %s should expose port %d", overlay, name,
                        service.port()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(service.port()));
                assertThat(svc.getSpec().getSelector()).as("%s: Service %s should select the pods of Deployment %s",
                        overlay, name, name).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            }
        }
    }

    @Test
    void shouldDeployEveryServiceOfTheOverlay() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (Deployable service : Deployable.ALL) {
                assertThat(manifests.named(Deployment.class, service.deployment()).isPresent())
                        .as("%s: Deployment %s (%s) present", overlay, service.deployment(), service.module())
                        .isEqualTo(service.runsIn(overlay));
            }
        }
    }

    private static Probe nonNull(Probe probe) {
        return probe == null ? new Probe() : probe;
    }

    private static int portNumber(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("Container " + container.getName() + " has no port named "
                        + port.getStrVal())).getContainerPort();
    }
}
