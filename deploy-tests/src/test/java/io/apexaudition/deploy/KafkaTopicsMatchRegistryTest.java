package io.apexaudition.deploy;

import io.apexaudition.events.TopicSpec;
import io.apexaudition.events.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The topic registry (events: Topics) is the one source of topics: Kubernetes and compose create exactly it. */
class KafkaTopicsMatchRegistryTest {
    private static final String TOPICS_FILE = "deploy/base/kafka/topics.yaml";
    /** How many replicas must acknowledge a write: set per cluster (its broker count), not by the registry. */
    private static final String MIN_ISR = "min.insync.replicas";

    @Test
    void shouldMatchEveryRegistryTopicWithAKafkaTopic() {
        for (String overlay : Manifests.OVERLAYS) {
            // given
            Map<String, KafkaTopic> byTopicName = topicsByName(Manifests.render(overlay));

            for (TopicSpec spec : Topics.ALL) {
                // when
                KafkaTopic topic = byTopicName.get(spec.name());

                // then
                assertThat(topic).as("%s: registry topic %s has no KafkaTopic: add one to %s", overlay,
                        spec.name(), TOPICS_FILE).isNotNull();
                assertThat(topic.getSpec().getPartitions()).as("%s: KafkaTopic %s partitions (registry: %d); fix %s",
                        overlay, spec.name(), spec.partitions(), TOPICS_FILE).isEqualTo(spec.partitions());
                assertThat(withoutMinIsr(stringValues(topic.getSpec().getConfig()))).as("%s: KafkaTopic %s config "
                                + "should be the registry's TopicSpec.config() exactly (but for %s); fix %s", overlay,
                        spec.name(), MIN_ISR, TOPICS_FILE).isEqualTo(withoutMinIsr(spec.config()));
            }
        }
    }

    @Test
    void shouldNeedAllButOneReplicaInSyncSoAWriteSurvivesALostBrokerAndOneMayBeDown() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            Map<String, Object> broker = manifests.all(Kafka.class).get(0).getSpec().getKafka().getConfig();
            int defaultReplicas = Integer.parseInt(String.valueOf(broker.get("default.replication.factor")));
            assertThat(String.valueOf(broker.get(MIN_ISR))).as("%s: the broker's default %s (for topics the "
                    + "registry does not declare)", overlay, MIN_ISR).isEqualTo(minInSync(defaultReplicas));
            for (KafkaTopic topic : manifests.all(KafkaTopic.class)) {
                int replicas = topic.getSpec().getReplicas();
                assertThat(String.valueOf(topic.getSpec().getConfig().get(MIN_ISR))).as("%s: KafkaTopic %s %s with %d "
                        + "replicas; fix %s or the overlay", overlay, topic.getSpec().getTopicName(), MIN_ISR, replicas,
                        TOPICS_FILE).isEqualTo(minInSync(replicas));
            }
        }
        assertThat(Manifests.render("deploy/overlays/prod").all(KafkaTopic.class)).as("prod: 3 replicas, 2 in sync")
                .allSatisfy(t -> {
                    assertThat(t.getSpec().getReplicas()).isEqualTo(3);
                    assertThat(String.valueOf(t.getSpec().getConfig().get(MIN_ISR))).isEqualTo("2");
                });
    }

    @Test
    void shouldHaveNoKafkaTopicOutsideTheRegistry() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            List<String> names = manifests.all(KafkaTopic.class).stream().map(t -> t.getSpec().getTopicName())
                    .toList();

            assertThat(names).as("%s: every KafkaTopic (spec.topicName) must be in Topics.ALL, once; remove or "
                    + "rename it in %s", overlay, TOPICS_FILE).doesNotHaveDuplicates()
                    .allSatisfy(name -> assertThat(Topics.byName(name)).as("KafkaTopic %s", name).isPresent());
        }
    }

    @Test
    void shouldBindEveryKafkaTopicToTheClusterWithEnoughReplicas() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            String cluster = manifests.all(Kafka.class).get(0).getMetadata().getName();
            int nodes = manifests.all(KafkaNodePool.class).stream()
                    .filter(p -> p.getSpec().getRoles().toString().toLowerCase(java.util.Locale.ROOT).contains("broker"))
                    .mapToInt(p -> p.getSpec().getReplicas()).sum();

            for (KafkaTopic topic : manifests.all(KafkaTopic.class)) {
                assertThat(topic.getMetadata().getLabels()).as("%s: KafkaTopic %s needs label strimzi.io/cluster: "
                        + "%s or the topic operator ignores it", overlay, topic.getSpec().getTopicName(), cluster)
                        .containsEntry("strimzi.io/cluster", cluster);
                assertThat(topic.getSpec().getReplicas()).as("%s: KafkaTopic %s replicas must be between 1 and the "
                        + "%d broker nodes", overlay, topic.getSpec().getTopicName(), nodes).isBetween(1, nodes);
            }
        }
    }

    @Test
    void shouldCreateEveryRegistryTopicInComposeAndNoOther() {
        // given the topic service's kafka-topics.sh lines
        Map<String, ComposeTopic> created = composeTopics();

        // then
        assertThat(created.keySet()).as("%s (service topics) should create exactly the registry's topics",
                Compose.FILE).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : Topics.ALL) {
            ComposeTopic topic = created.get(spec.name());
            assertThat(topic.partitions()).as("%s: --partitions of %s (registry: %d)", Compose.FILE, spec.name(),
                    spec.partitions()).isEqualTo(spec.partitions());
            assertThat(topic.config()).as("%s: the --config of %s should be the registry's config exactly",
                    Compose.FILE, spec.name()).isEqualTo(new TreeMap<>(spec.config()));
        }
    }

    record ComposeTopic(int partitions, Map<String, String> config) {
    }

    private static final Pattern CREATE = Pattern.compile("/opt/kafka/bin/kafka-topics\\.sh "
            + "--bootstrap-server kafka:9092 --create --if-not-exists --topic (\\S+) "
            + "--partitions (\\d+) --replication-factor 1((?: --config \\S+=\\S+)*)$");

    static Map<String, ComposeTopic> composeTopics() {
        Compose.Service service = Compose.load().service("topics");
        List<String> lines = new ArrayList<>();
        service.command().forEach(c -> lines.addAll(c.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()));
        Map<String, ComposeTopic> topics = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = CREATE.matcher(line);
            assertThat(m.matches()).as("%s: service topics line is not a kafka-topics.sh --create of the expected "
                    + "form: %s", Compose.FILE, line).isTrue();
            Map<String, String> config = new TreeMap<>();
            for (String option : m.group(3).split(" --config ")) {
                if (!option.isBlank()) {
                    String[] kv = option.strip().split("=", 2);
                    config.put(kv[0], kv[1]);
                }
            }
            assertThat(topics.put(m.group(1), new ComposeTopic(Integer.parseInt(m.group(2)), config)))
                    .as("%s creates topic %s twice", Compose.FILE, m.group(1)).isNull();
        }
        return topics;
    }

    private static Map<String, KafkaTopic> topicsByName(Manifests manifests) {
        return manifests.all(KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t, (a, b) -> a));
    }

    private static String minInSync(int replicas) {
        return Integer.toString(Math.max(1, replicas - 1));
    }

    private static Map<String, String> withoutMinIsr(Map<String, String> config) {
        Map<String, String> rest = new TreeMap<>(config);
        rest.remove(MIN_ISR);
        return rest;
    }

    private static Map<String, String> stringValues(Map<String, Object> config) {
        Map<String, String> values = new TreeMap<>();
        config.forEach((k, v) -> values.put(k, String.valueOf(v)));
        return values;
    }
}
