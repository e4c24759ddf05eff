package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

    @Test
    void shouldShareOneTransactionAmongTheCommitsAskedForWhileOneIsUnderWayAndRefuseOnlyTheOneWithoutItsPartition()
            throws Exception {
        String servers = KafkaInfra.bootstrapServers();
        String group = "dispatch-group-commit-" + UUID.randomUUID();
        String run = "run-" + UUID.randomUUID();
        try (CountingPublisher publisher = new CountingPublisher(servers, "group-commit-" + run, 0)) {
            GroupMembers.zombieAndOwner(servers, group, REQUESTS, (zombie, current) -> {
                // given a ledger owning the request partition, and lane group a's transaction under way
                OwnedLaneStates states = gathered(publisher, run + "/a/1", current);

                // when three lane groups dispatched beside it ask to commit meanwhile (b and c in the partition, d in
                // one this instance does not own), and then it lands
                Map<String, Throwable> outcomes = commitBesideAHeldTransaction(states, run,
                        Map.of("b", REQUESTS.partition(), "c", REQUESTS.partition(), "d", REQUESTS.partition() + 1),
                        Map.of());

                // then the three that own their partition committed, in two transactions: the one under way, and
                // one shared by the two that waited; the one whose partition is not this instance's was refused alone
                assertThat(outcomes).containsOnlyKeys("a", "b", "c", "d");
                assertThat(outcomes.get("a")).isInstanceOf(Ok.class);
                assertThat(outcomes.get("b")).isInstanceOf(Ok.class);
                assertThat(outcomes.get("c")).isInstanceOf(Ok.class);
                assertThat(outcomes.get("d")).isInstanceOf(TransactionalPublisher.PartitionsLostException.class);
                assertThat(publisher.transactions.get()).isEqualTo(2);
                assertThat(states.intent("intent-b-" + run)).isPresent();
                assertThat(states.intent("intent-d-" + run)).isEmpty();
            });
            try (KafkaTestClient reader = new KafkaTestClient(servers)) {
                assertThat(reader.readEvents(Topics.BATCHES.name(), DispatchIntended.class,
                        i -> i.runId().equals(run), 4, Duration.ofSeconds(5)))
                        .extracting(DispatchIntended::intentId)
                        .containsExactlyInAnyOrder("intent-a-" + run, "intent-b-" + run, "intent-c-" + run);
            }
        }
    }

    @Test
    void shouldCommitEachCallerAgainOnItsOwnWhenTheTransactionTheyShareIsRefused() throws Exception {
        String servers = KafkaInfra.bootstrapServers();
        String group = "dispatch-group-refused-" + UUID.randomUUID();
        String run = "run-" + UUID.randomUUID();
        try (CountingPublisher publisher = new CountingPublisher(servers, "group-refused-" + run, 2)) {
            GroupMembers.zombieAndOwner(servers, group, REQUESTS, (zombie, current) -> {
                // given lane group a's transaction under way
                OwnedLaneStates states = gathered(publisher, run + "/a/1", current);

                // when two lane groups beside it ask to commit meanwhile, and the transaction they share is refused
                Map<String, Throwable> outcomes = commitBesideAHeldTransaction(states, run,
                        Map.of("b", REQUESTS.partition(), "c", REQUESTS.partition()), Map.of());

                // then each was committed again on its own, and both stand
                assertThat(outcomes).containsOnlyKeys("a", "b", "c").allSatisfy((slug, outcome) ->
                        assertThat(outcome).as(slug).isInstanceOf(Ok.class));
                assertThat(publisher.transactions.get()).isEqualTo(4);
                assertThat(states.intent("intent-b-" + run)).isPresent();
                assertThat(states.intent("intent-c-" + run)).isPresent();
            });
        }
    }

    @Test
    void shouldFailOnlyTheCallerWhoseOwnEventsBrokeTheTransactionTheyShared() throws Exception {
        String servers = KafkaInfra.bootstrapServers();
        String group = "dispatch-group-poison-" + UUID.randomUUID();
        String run = "run-" + UUID.randomUUID();
        try (CountingPublisher publisher = new CountingPublisher(servers, "group-poison-" + run, 0)) {
            GroupMembers.zombieAndOwner(servers, group, REQUESTS, (zombie, current) -> {
                // given lane group a's transaction under way
                OwnedLaneStates states = gathered(publisher, run + "/a/1", current);

                // when two lane groups beside it ask to commit meanwhile, and writing b's bodies hits an Error
                Map<String, Throwable> outcomes = commitBesideAHeldTransaction(states, run,
                        Map.of("b", REQUESTS.partition(), "c", REQUESTS.partition()), Map.of("b", () -> {
                            throw new StackOverflowError("scripted for b");
                        }));

                // then only b is told (its own Error), and c's commit (paid results, say) stands
                assertThat(outcomes.get("a")).isInstanceOf(Ok.class);
                assertThat(outcomes.get("c")).isInstanceOf(Ok.class);
                assertThat(outcomes.get("b")).isInstanceOf(StackOverflowError.class).hasMessage("scripted for b");
                assertThat(states.intent("intent-b-" + run)).isEmpty();
                assertThat(states.intent("intent-c-" + run)).isPresent();
            });
            try (KafkaTestClient reader = new KafkaTestClient(servers)) {
                assertThat(reader.readEvents(Topics.BATCHES.name(), DispatchIntended.class,
                        i -> i.runId().equals(run), 3, Duration.ofSeconds(5)))
                        .extracting(DispatchIntended::intentId)
                        .containsExactlyInAnyOrder("intent-a-" + run, "intent-c-" + run);
            }
        }
    }

    /** A publisher that counts its transactions, and refuses the one numbered {@code refused} (0: none). */
    private static final class CountingPublisher extends TransactionalPublisher {
        final AtomicInteger transactions = new AtomicInteger();
        private final int refused;

        CountingPublisher(String servers, String transactionalId, int refused) {
            super(servers, transactionalId, Duration.ofSeconds(30));
            this.refused = refused;
        }

        @Override
        public synchronized long publishOwned(GroupPosition position, List<Placed> placed,
                                              java.util.function.Consumer<java.util.function.Consumer<Addressed>>
                                                      source, String chaosPoint) {
            if (transactions.incrementAndGet() == refused) {
                throw new IllegalStateException("refused by the test");
            }
            return super.publishOwned(position, placed, source, chaosPoint);
        }
    }

    /**
     * Lane group a (dispatched by {@link #gathered}) commits its intent and holds its transaction open until the
     * others (slug to request partition, each dispatched on a thread of its own) have asked to commit theirs and are
     * waiting (with the bodies {@code streamed} gives for some of them); then it lands. Returns how each commit ended,
     * once every one has.
     */
    private static Map<String, Throwable> commitBesideAHeldTransaction(
            OwnedLaneStates states, String run, Map<String, Integer> others,
            Map<String, java.util.function.Supplier<java.util.Iterator<Addressed>>> streamed) {
        int partition = REQUESTS.partition();
        for (String slug : others.keySet()) {
            states.offsets(partition).arrived(run + "/" + slug + "/1", 8 + others.size());
        }
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch aSending = new CountDownLatch(1);
        CountDownLatch othersReady = new CountDownLatch(others.size());
        CountDownLatch othersGo = new CountDownLatch(1);
        Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
        List<Thread> threads = others.entrySet().stream().map(e -> laneThread(states, run, e.getKey(), e.getValue(),
                outcomes, streamed.get(e.getKey()), othersReady, othersGo)).toList();
        threads.forEach(Thread::start);
        assertThat(awaitQuietly(othersReady)).isTrue();
        Thread a = laneThread(states, run, "a", partition, outcomes, () -> {
            aSending.countDown();
            awaitQuietly(release);
            return java.util.Collections.emptyIterator();
        }, new CountDownLatch(0), new CountDownLatch(0));
        a.start();
        assertThat(awaitQuietly(aSending)).isTrue();
        othersGo.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> threads.stream()
                .allMatch(t -> t.getState() == Thread.State.BLOCKED));
        release.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> !a.isAlive() && threads.stream().noneMatch(Thread::isAlive));
        return outcomes;
    }

    /** Returned normally. */
    private static final class Ok extends Throwable {
        Ok() {
            super(null, null, false, false);
        }
    }

    /**
     * A thread dispatching one lane group: once it says it is dispatching it ({@code ready}), it waits for {@code go},
     * commits the group's intent, and records how that ended.
     */
    private static Thread laneThread(OwnedLaneStates states, String run, String slug, int partition,
                                     Map<String, Throwable> outcomes,
                                     java.util.function.Supplier<java.util.Iterator<Addressed>> streamed,
                                     CountDownLatch ready, CountDownLatch go) {
        return new Thread(() -> {
            states.dispatching(run + "/" + slug + "/1", partition);
            ready.countDown();
            awaitQuietly(go);
            try {
                List<Addressed> events = List.of(new Addressed(Topics.BATCHES, intent(run, slug, "intent-" + slug
                        + "-" + run)));
                if (streamed == null) {
                    states.commit(events);
                } else {
                    states.commit(events, streamed);
                }
                outcomes.put(slug, new Ok());
            } catch (RuntimeException | Error e) {
                outcomes.put(slug, e);
            }
        }, "lane-" + slug);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
