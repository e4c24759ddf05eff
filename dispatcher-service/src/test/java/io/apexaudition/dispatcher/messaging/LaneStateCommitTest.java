package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.dispatcher.domain.PartitionOffsets;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.testsupport.GroupMembers;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real broker: a lane group's intent commits only with its request partition's ownership. */
class LaneStateCommitTest {
    private static final TopicPartition REQUESTS = new TopicPartition(Topics.GENERATION_REQUESTS_OPENAI.name(), 2);

    @Test
    void shouldCommitNoIntentForADispatcherThatLostItsRequestPartitionAndEverythingForItsOwner() throws Exception {
        String servers = KafkaInfra.bootstrapServers();
        String group = "dispatch-fencing-" + UUID.randomUUID();
        String run = "run-" + UUID.randomUUID();
        try (TransactionalPublisher zombiePublisher = new TransactionalPublisher(servers, "zombie-" + run,
                Duration.ofSeconds(30));
             TransactionalPublisher ownerPublisher = new TransactionalPublisher(servers, "owner-" + run,
                     Duration.ofSeconds(30))) {
            // given a dispatcher that owned the request partition and lost it to another (it left; the group moved on)
            GroupMembers.zombieAndOwner(servers, group, REQUESTS, (zombie, current) -> {
                // when the old one commits the intent of a lane group gathered at offsets 5..7 of that partition
                PartitionOffsets zombieOffsets = gathered(run + "/zombie/1");
                assertThatThrownBy(() -> new LaneStateCommit(zombiePublisher, Providers.OPENAI).commit(zombie,
                        REQUESTS, zombieOffsets, entry(run + "/zombie/1", "intent-zombie-" + run),
                        List.of(new Addressed(Topics.BATCHES, intent(run, "intent-zombie-" + run)))))
                        .isInstanceOf(TransactionalPublisher.PartitionsLostException.class);

                // and the owner commits its own
                new LaneStateCommit(ownerPublisher, Providers.OPENAI).commit(current, REQUESTS,
                        gathered(run + "/owner/1"), entry(run + "/owner/1", "intent-owner-" + run),
                        List.of(new Addressed(Topics.BATCHES, intent(run, "intent-owner-" + run))));
            });

            // then only the owner's intent exists (no paid call can follow the zombie's), its entry is in the
            // request's partition number of the dispatch state, and the group's offset is held at the lane group's
            // first record, which is still under way
            try (KafkaTestClient reader = new KafkaTestClient(servers)) {
                assertThat(reader.readEvents(Topics.BATCHES.name(), DispatchIntended.class,
                        i -> i.runId().equals(run), 2, Duration.ofSeconds(5)))
                        .extracting(DispatchIntended::intentId).containsExactly("intent-owner-" + run);
                List<ConsumerRecord<String, String>> state = reader.readUntil(
                        Topics.DISPATCH_STATE_OPENAI.name(), records -> records.stream()
                                .filter(r -> r.key().startsWith(run)).count() >= 2, Duration.ofSeconds(5))
                        .stream().filter(r -> r.key().startsWith(run)).toList();
                assertThat(state).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo(run + "/owner/1");
                    assertThat(r.partition()).isEqualTo(REQUESTS.partition());
                    assertThat(LaneGroupState.read(r.key(), r.value().getBytes(StandardCharsets.UTF_8)).inDoubt())
                            .extracting(DispatchIntended::intentId).containsExactly("intent-owner-" + run);
                });
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                        Map.of(group, new ListConsumerGroupOffsetsSpec())).partitionsToOffsetAndMetadata(group).get();
                assertThat(offsets.get(REQUESTS).offset()).isEqualTo(5);
            }
        }
    }

    /** A lane group whose records are at offsets 5 to 7 of the partition, gathered and being dispatched. */
    private static PartitionOffsets gathered(String groupKey) {
        PartitionOffsets offsets = new PartitionOffsets(5);
        for (long o = 5; o <= 7; o++) {
            offsets.arrived(groupKey, o);
        }
        return offsets;
    }

    private static LaneGroupState entry(String groupKey, String intentId) {
        return LaneGroupState.empty(groupKey, 7).with(intent(groupKey.substring(0, groupKey.indexOf('/')), intentId));
    }

    private static DispatchIntended intent(String run, String intentId) {
        return new DispatchIntended("e-" + intentId, 1, Instant.now(), intentId, Providers.OPENAI, run, "4o.t0-8",
                "gpt-4o", DispatchIntended.Kind.BATCH, 0, List.of("g" + "0".repeat(32) + "-a1"));
    }
}
