package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The PodMonitor scrapes /q/metrics of exactly the services that serve it, on a port their pods name. */
class MetricsScrapingTest {
    private static final String REGISTRY = "quarkus-micrometer-registry-prometheus";

    @Test
    void shouldScrapeEveryServiceServingMetricsAndNothingElse() {
        for (String overlay : Manifests.OVERLAYS) {
            // given
            Manifests manifests = Manifests.render(overlay);
            PodMonitor monitor = manifests.require(PodMonitor.class, "apex-services");
            PodMetricsEndpoint endpoint = monitor.getSpec().getPodMetricsEndpoints().get(0);
            assertThat(endpoint.getPath()).as("%s: the PodMonitor's path", overlay).isEqualTo("/q/metrics");

            for (Deployment deployment : manifests.all(Deployment.class)) {
                String name = deployment.getMetadata().getName();
                Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();

                // when
                boolean scraped = selects(monitor, labels);

                // then
                boolean serves = RepoFiles.read(Deployable.byDeployment(name).module() + "/pom.xml").contains(REGISTRY);
                assertThat(scraped).as("%s: Deployment %s is scraped by PodMonitor apex-services exactly when its "
                        + "module serves /q/metrics (%s)", overlay, name, REGISTRY).isEqualTo(serves);
                if (scraped) {
                    assertThat(manifests.container(name).getPorts()).as("%s: Deployment %s needs the port the "
                                    + "PodMonitor scrapes, named %s", overlay, name, endpoint.getPort())
                            .anyMatch(p -> endpoint.getPort().equals(p.getName()));
                }
            }
        }
    }

    private static boolean selects(PodMonitor monitor, Map<String, String> labels) {
        var selector = monitor.getSpec().getSelector();
        boolean matchLabels = selector.getMatchLabels() == null || selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        boolean expressions = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream()
                .allMatch(r -> matches(r, labels));
        return matchLabels && expressions;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> value != null && r.getValues().contains(value);
            case "NotIn" -> value == null || !r.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("unknown selector operator " + r.getOperator());
        };
    }
}
