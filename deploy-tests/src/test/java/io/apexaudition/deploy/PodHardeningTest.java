package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every pod runs as non-root with a read-only root file system, and asks for and is limited in CPU and memory. */
class PodHardeningTest {

    @Test
    void shouldRunEveryContainerAsNonRootReadOnlyWithRequestsAndLimits() {
        for (String dir : List.of("deploy/overlays/dev", "deploy/overlays/prod", Manifests.REBUILD_JOB)) {
            Manifests.render(dir).podSpecs().forEach((workload, spec) -> {
                assertThat(spec.getSecurityContext()).as("%s: %s needs a pod securityContext", dir, workload)
                        .isNotNull();
                assertThat(spec.getSecurityContext().getRunAsNonRoot()).as("%s: %s runAsNonRoot", dir, workload)
                        .isTrue();
                assertThat(spec.getSecurityContext().getRunAsUser()).as("%s: %s runAsUser", dir, workload)
                        .isPositive();
                for (Container c : spec.getContainers()) {
                    String where = dir + ": " + workload + " container " + c.getName();
                    assertThat(c.getSecurityContext()).as("%s needs a securityContext", where).isNotNull();
                    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation",
                            where).isFalse();
                    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem",
                            where).isTrue();
                    assertThat(c.getSecurityContext().getCapabilities().getDrop()).as("%s drops ALL capabilities",
                            where).containsExactly("ALL");
                    assertThat(c.getResources().getRequests()).as("%s resources.requests", where)
                            .containsKeys("cpu", "memory");
                    assertThat(c.getResources().getLimits()).as("%s resources.limits", where)
                            .containsKeys("cpu", "memory");
                }
            });
        }
    }

    @Test
    void shouldGiveEveryQuarkusServiceAWritableTmpAndNoMoreThanHalfAGigabyte() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (var deployment : manifests.all(io.fabric8.kubernetes.api.model.apps.Deployment.class)) {
                String name = deployment.getMetadata().getName();
                PodSpec spec = deployment.getSpec().getTemplate().getSpec();
                Container c = manifests.container(name);
                assertThat(c.getVolumeMounts()).as("%s: Deployment %s mounts an emptyDir on /tmp (Quarkus writes "
                        + "there; the root file system is read-only)", overlay, name)
                        .anySatisfy(m -> {
                            assertThat(m.getMountPath()).isEqualTo("/tmp");
                            assertThat(spec.getVolumes()).anySatisfy(v -> {
                                assertThat(v.getName()).isEqualTo(m.getName());
                                assertThat(v.getEmptyDir()).isNotNull();
                            });
                        });
                assertThat(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                        c.getResources().getLimits().get("memory")).longValue()).as("%s: Deployment %s memory limit "
                        + "(services run in -Xmx128m)", overlay, name).isLessThanOrEqualTo(512L * 1024 * 1024);
            }
        }
    }
}
