package io.apexaudition.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rendered kustomization, every document loaded strictly into its model, chosen by apiVersion and kind. A
 * kind or apiVersion not listed here fails the load: add it here (with its model) when a manifest needs it.
 */
final class Manifests {
    static final List<String> OVERLAYS = List.of("deploy/overlays/dev", "deploy/overlays/prod");
    static final String REBUILD_JOB = "deploy/jobs/rebuild";

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", ScaledObject.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class));

    final String source;
    final List<Object> resources;

    private Manifests(String source, List<Object> resources) {
        this.source = source;
        this.resources = resources;
    }

    static Manifests render(String dir) {
        return load(Kustomize.render(dir), dir);
    }

    static Manifests load(String yaml, String source) {
        List<Object> resources = new ArrayList<>();
        for (JsonNode doc : StrictYaml.documents(yaml, source)) {
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            String where = source + ": " + type + " " + doc.path("metadata").path("name").asText();
            Class<?> model = MODELS.get(type);
            if (model == null) {
                throw new AssertionError(where + " has no object model in deploy-tests: use one of "
                        + MODELS.keySet() + " or add the model to Manifests.MODELS");
            }
            resources.add(StrictYaml.convert(doc, model, where));
        }
        return new Manifests(source, List.copyOf(resources));
    }

    <T> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(r -> name.equals(nameOf(r))).findFirst();
    }

    <T> T require(Class<T> type, String name) {
        return named(type, name).orElseThrow(() -> new AssertionError(source + " has no " + type.getSimpleName()
                + " named " + name));
    }

    static String nameOf(Object resource) {
        if (resource instanceof io.fabric8.kubernetes.api.model.HasMetadata h) {
            return h.getMetadata().getName();
        }
        if (resource instanceof ScaledObject s) {
            return s.metadata().getName();
        }
        throw new IllegalArgumentException("Not a resource: " + resource);
    }

    /** The pod templates' specs of every workload, by workload name. */
    Map<String, PodSpec> podSpecs() {
        Map<String, PodSpec> specs = new java.util.TreeMap<>();
        all(Deployment.class).forEach(d -> specs.put("Deployment " + nameOf(d), d.getSpec().getTemplate().getSpec()));
        all(StatefulSet.class).forEach(s -> specs.put("StatefulSet " + nameOf(s), s.getSpec().getTemplate().getSpec()));
        all(Job.class).forEach(j -> specs.put("Job " + nameOf(j), j.getSpec().getTemplate().getSpec()));
        return specs;
    }

    /** The one container of a Deployment. */
    Container container(String deployment) {
        List<Container> containers = require(Deployment.class, deployment).getSpec().getTemplate().getSpec()
                .getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(source + ": Deployment " + deployment + " should have exactly one container");
        }
        return containers.get(0);
    }

    /**
     * The variables a Deployment's container gets: its ConfigMaps' entries (envFrom), then its own env. A value
     * from a Secret reads as {@code <secret NAME/KEY>}.
     */
    Map<String, String> variables(String deployment) {
        Container container = container(deployment);
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (var from : container.getEnvFrom()) {
            if (from.getConfigMapRef() == null || from.getPrefix() != null) {
                throw new AssertionError(source + ": Deployment " + deployment + " may take envFrom only from a "
                        + "ConfigMap, without prefix");
            }
            variables.putAll(require(ConfigMap.class, from.getConfigMapRef().getName()).getData());
        }
        for (var env : container.getEnv()) {
            if (env.getValueFrom() == null) {
                variables.put(env.getName(), env.getValue());
            } else if (env.getValueFrom().getSecretKeyRef() != null) {
                var ref = env.getValueFrom().getSecretKeyRef();
                variables.put(env.getName(), "<secret " + ref.getName() + "/" + ref.getKey() + ">");
            } else {
                throw new AssertionError(source + ": Deployment " + deployment + " env " + env.getName()
                        + " may come only from a value or a Secret");
            }
        }
        return variables;
    }
}
