package io.apexaudition.deploy;

import io.apexaudition.events.Topics;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatchers and the recorder scale on consumer lag: the recorder up to its partitions, each dispatcher up to two
 * (each owns its request partitions through the group, fenced when it loses them; an Anthropic batch in doubt, matched
 * by count, is taken only when no other open intent of its size could own it); the pollers are two, each owning its
 * share of the open batches through the consumer group.
 */
class ScalingTest {
    /** Deployment: the incoming channel whose group and topics KEDA watches (the dispatchers' own consumer: none). */
    private static final Map<String, String> SCALED = Map.of(
            "apex-dispatcher-openai", "",
            "apex-dispatcher-anthropic", "",
            "apex-recorder", "events");

    @Test
    void shouldScaleDispatchersAndRecorderOnTheirOwnConsumerGroupWithinPartitions() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            assertThat(manifests.all(ScaledObject.class).stream().map(s -> s.spec().scaleTargetRef().name()))
                    .as("%s: ScaledObjects target exactly %s", overlay, SCALED.keySet())
                    .containsExactlyInAnyOrderElementsOf(SCALED.keySet());

            for (ScaledObject scaled : manifests.all(ScaledObject.class)) {
                // given what the service reads
                String target = scaled.spec().scaleTargetRef().name();
                String channel = "mp.messaging.incoming." + SCALED.get(target) + ".";
                ServiceConfig config = Deployable.byDeployment(target).config();
                Map<String, String> variables = manifests.variables(target);
                boolean dispatcher = SCALED.get(target).isEmpty();
                String group = dispatcher ? config.value("apex.dispatcher.group-id", variables)
                        : config.value(channel + "group.id", variables);
                String topicList = dispatcher ? null : config.value(channel + "topics", variables);
                List<String> topics = dispatcher
                        ? List.of(Topics.generationRequests(config.value("apex.dispatcher.provider", variables)).name())
                        : topicList != null ? Arrays.asList(topicList.split(","))
                        : List.of(config.value(channel + "topic", variables));
                int partitions = topics.stream().map(Topics::byName).mapToInt(t -> t.orElseThrow().partitions())
                        .max().orElseThrow();

                // then
                manifests.require(Deployment.class, target);
                assertThat(scaled.spec().triggers()).as("%s: ScaledObject %s has one kafka trigger", overlay, target)
                        .singleElement().satisfies(trigger -> {
                            assertThat(trigger.type()).isEqualTo("kafka");
                            assertThat(trigger.metadata().consumerGroup()).as("%s: ScaledObject %s consumerGroup "
                                    + "should be the group %s reads with", overlay, target, target).isEqualTo(group);
                            assertThat(trigger.metadata().bootstrapServers()).as("%s: ScaledObject %s "
                                    + "bootstrapServers", overlay, target)
                                    .isEqualTo(config.value("kafka.bootstrap.servers", variables));
                            if (trigger.metadata().topic() != null) {
                                assertThat(topics).as("%s: ScaledObject %s topic", overlay, target)
                                        .containsExactly(trigger.metadata().topic());
                            }
                        });
                assertThat(scaled.spec().minReplicaCount()).as("%s: %s minReplicaCount", overlay, target)
                        .isGreaterThanOrEqualTo(0);
                assertThat(scaled.spec().maxReplicaCount()).as("%s: ScaledObject %s maxReplicaCount must not exceed "
                        + "the %d partitions of %s (Topics registry)", overlay, target, partitions, topics)
                        .isBetween(Math.max(1, scaled.spec().minReplicaCount()), partitions);
                if (target.startsWith("apex-dispatcher-")) {
                    assertThat(scaled.spec().maxReplicaCount()).as("%s: ScaledObject %s maxReplicaCount must be at "
                            + "most 2: what is tested of one provider (DispatcherScaleOutIT)", overlay, target)
                            .isLessThanOrEqualTo(2);
                }
                if (target.startsWith("apex-dispatcher-")) {
                    Map<String, String> podA = new java.util.HashMap<>(variables);
                    podA.put("HOSTNAME", target + "-a");
                    Map<String, String> podB = new java.util.HashMap<>(variables);
                    podB.put("HOSTNAME", target + "-b");
                    assertThat(config.value("apex.dispatcher.transactional-id", podA))
                            .as("%s: %s transactional id must differ between pods (leave "
                                    + "APEX_DISPATCHER_TRANSACTIONAL_ID unset)", overlay, target)
                            .isNotEqualTo(config.value("apex.dispatcher.transactional-id", podB));
                    assertThat(manifests.require(Deployment.class, target).getSpec().getStrategy().getType())
                            .as("%s: Deployment %s strategy must be Recreate, so a rollout never overlaps two "
                                    + "dispatchers", overlay, target).isEqualTo("Recreate");
                }
                assertThat(manifests.require(Deployment.class, target).getSpec().getReplicas()).as("%s: Deployment "
                        + "%s leaves replicas to KEDA (remove spec.replicas)", overlay, target).isNull();
            }
        }
    }

    @Test
    void shouldRunTwoPollersEachUnderItsOwnInstanceIdAndMigrateWithRecreate() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            Deployment poller = manifests.require(Deployment.class, "apex-poller");
            ServiceConfig config = Deployable.byDeployment("apex-poller").config();
            Map<String, String> variables = manifests.variables("apex-poller");

            // two pollers split the open batches through the consumer group apex-poller: one more keeps every batch
            // polled while a pod is replaced (its partitions move at once on a clean stop, after 45 s on a crash)
            assertThat(poller.getSpec().getReplicas()).as("%s: apex-poller replicas", overlay).isEqualTo(2);
            // each pod's transactional id is also its static group membership: two pods sharing one would fence each
            // other's transactions; the id must follow the pod's name, never be fixed in the ConfigMap
            Map<String, String> podA = new java.util.HashMap<>(variables);
            podA.put("HOSTNAME", "apex-poller-a");
            Map<String, String> podB = new java.util.HashMap<>(variables);
            podB.put("HOSTNAME", "apex-poller-b");
            assertThat(config.value("apex.poller.transactional-id", podA))
                    .as("%s: apex-poller's transactional id must differ between pods (leave "
                            + "APEX_POLLER_TRANSACTIONAL_ID unset: it defaults to apex-poller-$HOSTNAME)", overlay)
                    .isNotEqualTo(config.value("apex.poller.transactional-id", podB));
            // a rollout from a poller that read its state from history must not overlap the migration
            assertThat(poller.getSpec().getStrategy().getType()).as("%s: apex-poller strategy: the first start after "
                    + "the upgrade migrates with no old poller running", overlay).isEqualTo("Recreate");
        }
    }

    @Test
    void shouldGiveEveryDeploymentADisruptionBudget() {
        for (String overlay : Manifests.OVERLAYS) {
            Manifests manifests = Manifests.render(overlay);
            for (Deployment deployment : manifests.all(Deployment.class)) {
                String name = deployment.getMetadata().getName();
                assertThat(manifests.all(PodDisruptionBudget.class)).as("%s: Deployment %s needs a "
                                + "PodDisruptionBudget selecting its pods", overlay, name)
                        .anySatisfy(pdb -> assertThat(pdb.getSpec().getSelector().getMatchLabels())
                                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels()));
            }
        }
    }
}
