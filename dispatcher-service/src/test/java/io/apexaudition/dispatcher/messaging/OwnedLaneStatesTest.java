package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroupState;
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
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
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
class OwnedLaneStatesTest {
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
                OwnedLaneStates zombieStates = gathered(zombiePublisher, run + "/zombie/1", zombie);
                assertThatThrownBy(() -> zombieStates.commit(List.of(new Addressed(Topics.BATCHES,
                        intent(run, "zombie", "intent-zombie-" + run)))))
                        .isInstanceOf(TransactionalPublisher.PartitionsLostException.class);

                // and the owner commits its own
                gathered(ownerPublisher, run + "/owner/1", current).commit(List.of(new Addressed(Topics.BATCHES,
                        intent(run, "owner", "intent-owner-" + run))));
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

    @Test
    void shouldTombstoneADispatchedGroupsEntryOnlyInTheTransactionWhoseOffsetPassesItsRecords() throws Exception {
        String servers = KafkaInfra.bootstrapServers();
        String group = "dispatch-letgo-" + UUID.randomUUID();
        String run = "run-" + UUID.randomUUID();
        try (TransactionalPublisher publisher = new TransactionalPublisher(servers, "owner-" + run,
                Duration.ofSeconds(30))) {
            GroupMembers.zombieAndOwner(servers, group, REQUESTS, (zombie, current) -> {
                // given a lane group at offsets 5..7 whose intent was committed, and another group gathering at 8
                OwnedLaneStates states = gathered(publisher, run + "/a/1", current);
                states.commit(List.of(new Addressed(Topics.BATCHES, intent(run, "a", "intent-a-" + run))));
                states.offsets(REQUESTS.partition()).arrived(run + "/b/1", 8);

                // when its dispatch ends and the offsets are committed
                states.dispatchEnded();
                states.commitOffsets();

                // then the offset moves to the gathering group's first record (8), past every record of the
                // dispatched group: no record of it can be delivered again, so its entry went in that transaction
                assertThat(states.intent("intent-a-" + run)).isEmpty();
            });
            try (KafkaTestClient reader = new KafkaTestClient(servers)) {
                List<ConsumerRecord<String, String>> state = reader.readUntil(Topics.DISPATCH_STATE_OPENAI.name(),
                        records -> records.stream().filter(r -> r.key().startsWith(run)).count() >= 2,
                        Duration.ofSeconds(10)).stream().filter(r -> r.key().startsWith(run)).toList();
                assertThat(state).extracting(ConsumerRecord::key).containsExactly(run + "/a/1", run + "/a/1");
                assertThat(state.get(1).value()).as("the tombstone").isNull();
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                assertThat(admin.listConsumerGroupOffsets(Map.of(group, new ListConsumerGroupOffsetsSpec()))
                        .partitionsToOffsetAndMetadata(group).get().get(REQUESTS).offset()).isEqualTo(8);
            }
        }
    }

    /** A ledger owning the partition, with a lane group whose records are at offsets 5 to 7, being dispatched. */
    private static OwnedLaneStates gathered(TransactionalPublisher publisher, String groupKey,
                                            ConsumerGroupMetadata member) {
        OwnedLaneStates states = new OwnedLaneStates(publisher, Providers.OPENAI, KafkaInfra.bootstrapServers(),
                Topics.DISPATCH_STATE_OPENAI, Topics.GENERATION_REQUESTS_OPENAI);
        states.owned(REQUESTS.partition(), 5, List.of());
        for (long o = 5; o <= 7; o++) {
            states.offsets(REQUESTS.partition()).arrived(groupKey, o);
        }
        states.dispatching(groupKey, REQUESTS.partition());
        states.fencedBy(() -> member);
        return states;
    }

    private static DispatchIntended intent(String run, String slug, String intentId) {
        return new DispatchIntended("e-" + intentId, 1, Instant.now(), intentId, Providers.OPENAI, run, slug,
                "gpt-4o", DispatchIntended.Kind.BATCH, 0, List.of("g" + "0".repeat(32) + "-a1"));
    }
}
