package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestsLoadStrictlyTest {

    @Test
    void shouldLoadEveryRenderedResourceOfEveryOverlayIntoItsObjectModel() {
        for (String overlay : Manifests.OVERLAYS) {
            // when
            Manifests manifests = Manifests.render(overlay);

            // then
            assertThat(manifests.all(Kafka.class)).as("%s: one Strimzi Kafka", overlay).hasSize(1);
            assertThat(manifests.all(KafkaTopic.class)).as("%s: KafkaTopics", overlay).isNotEmpty();
            assertThat(manifests.all(Deployment.class)).as("%s: Deployments", overlay).isNotEmpty();
            assertThat(manifests.all(ScaledObject.class)).as("%s: KEDA ScaledObjects", overlay).isNotEmpty();
        }
        assertThat(Manifests.render(Manifests.REBUILD_JOB).resources).hasSize(1);
    }

    @Test
    void shouldPutEveryResourceOfAnOverlayInTheApexNamespace() {
        for (String dir : java.util.List.of("deploy/overlays/dev", "deploy/overlays/prod", Manifests.REBUILD_JOB)) {
            Manifests manifests = Manifests.render(dir);
            for (Object resource : manifests.resources) {
                String namespace = resource instanceof ScaledObject s ? s.metadata().getNamespace()
                        : ((io.fabric8.kubernetes.api.model.HasMetadata) resource).getMetadata().getNamespace();
                assertThat(namespace).as("%s: %s %s should be in namespace apex (set namespace: apex in its "
                        + "kustomization.yaml)", dir, resource.getClass().getSimpleName(), Manifests.nameOf(resource))
                        .isEqualTo("apex");
            }
        }
    }

    static Stream<Arguments> misspeltManifests() {
        return Stream.of(
                Arguments.of("a Kubernetes probe spelt readinesProbe", "readinesProbe", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: x}
                        spec:
                          selector: {matchLabels: {a: b}}
                          template:
                            metadata: {labels: {a: b}}
                            spec:
                              containers:
                                - name: x
                                  image: x
                                  readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                        """),
                Arguments.of("a Strimzi KafkaTopic field spelt partition", "partition", """
                        apiVersion: kafka.strimzi.io/v1
                        kind: KafkaTopic
                        metadata: {name: t}
                        spec: {topicName: t, partition: 6}
                        """),
                Arguments.of("a KEDA field spelt maxReplicas", "maxReplicas", """
                        apiVersion: keda.sh/v1alpha1
                        kind: ScaledObject
                        metadata: {name: s}
                        spec: {scaleTargetRef: {name: d}, maxReplicas: 6}
                        """),
                Arguments.of("a kind without a model", "no object model", """
                        apiVersion: postgresql.cnpg.io/v1
                        kind: Cluster
                        metadata: {name: pg}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misspeltManifests")
    void shouldRejectWhatTheModelsDoNotKnow(String given, String named, String yaml) {
        assertThatThrownBy(() -> Manifests.load(yaml, "test")).as(given).hasMessageContaining(named);
    }
}
