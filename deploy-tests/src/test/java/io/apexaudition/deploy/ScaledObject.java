package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;

/**
 * KEDA's {@code ScaledObject} (keda.sh/v1alpha1), only the fields these manifests use, as strict records: KEDA
 * publishes no Java model. A field not listed here fails the load; add it here when a manifest needs it.
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
    record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
                Integer minReplicaCount, Integer maxReplicaCount, List<Trigger> triggers) {
    }

    record ScaleTargetRef(String name, String kind, String apiVersion) {
    }

    /** Only the Kafka scaler is used; its metadata values are strings in KEDA's schema. */
    record Trigger(String type, KafkaMetadata metadata) {
    }

    record KafkaMetadata(String bootstrapServers, String consumerGroup, String topic, String lagThreshold,
                         String activationLagThreshold, String offsetResetPolicy, String allowIdleConsumers,
                         String limitToPartitionsWithLag) {
    }
}
