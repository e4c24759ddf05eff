package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.FakeProvider;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fresh intake (a new life of the dispatcher) given request partitions whose dispatch state an earlier life
 * committed, on a broker of its own: each partition's lane groups are restored from the same partition of
 * {@code apex.dispatch-state.openai} and read from the committed offset on, and an entry that cannot be read holds
 * its own partition only. (Partitions with no state or no offset are derived instead: {@link LegacyDispatchStateTest}.)
 */
class RestoredDispatchStateTest {
    private static final String REQUESTS = Topics.GENERATION_REQUESTS_OPENAI.name();
    private static final String STATE = Topics.DISPATCH_STATE_OPENAI.name();

    @RegisterExtension
    static final IntakeHarness.Broker KAFKA = new IntakeHarness.Broker();

    @Test
    void shouldRestoreAPartitionsLaneGroupsSoANewLifePaysNothingTwiceAndDispatchesWhatIsAboveTheOffsetOnce()
            throws Exception {
        String run = "run-" + UUID.randomUUID();
        int partition = 3;
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers());
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            // given request partition 3 as an earlier life left it: a lane group below its committed offset (seen
            // through, its entry let go), then from the offset on a lane group whose batch it created and recorded,
            // a synchronous one whose call it settled, and one of two requests whose intent it wrote and whose
            // batch the provider created before that life died (never recorded: in doubt)
            GenerationRequested below = IntakeHarness.request(run, "o3.below", "p01", 1, RunMode.BATCH, false, 1);
            harness.send(REQUESTS, partition, below);
            GenerationRequested recorded = IntakeHarness.request(run, "o3.recorded", "p01", 1, RunMode.BATCH, false,
                    1);
            long committed = harness.send(REQUESTS, partition, recorded);
            GenerationRequested called = IntakeHarness.request(run, "o3.called", "p01", 1, RunMode.SYNC, false, 1);
            long calledAt = harness.send(REQUESTS, partition, called);
            GenerationRequested doubt1 = IntakeHarness.request(run, "o3.doubt", "p01", 1, RunMode.BATCH, false, 2);
            GenerationRequested doubt2 = IntakeHarness.request(run, "o3.doubt", "p02", 1, RunMode.BATCH, false, 2);
            harness.send(REQUESTS, partition, doubt1);
            long doubtAt = harness.send(REQUESTS, partition, doubt2);
            // and above them a lane group of two that no life has read yet
            GenerationRequested fresh1 = IntakeHarness.request(run, "o3.fresh", "p01", 1, RunMode.BATCH, false, 2);
            GenerationRequested fresh2 = IntakeHarness.request(run, "o3.fresh", "p02", 1, RunMode.BATCH, false, 2);
            harness.send(REQUESTS, partition, fresh1);
            long end = harness.send(REQUESTS, partition, fresh2) + 1;
            // their entries in partition 3 of the dispatch state (with its mark: the partition has state), and the
            // offset that life committed: the first record of the groups it still held
            DispatchIntended recordedIntent = intent(run, "o3.recorded", DispatchIntended.Kind.BATCH, recorded);
            DispatchIntended calledIntent = intent(run, "o3.called", DispatchIntended.Kind.SYNC, called);
            DispatchIntended doubtIntent = intent(run, "o3.doubt", DispatchIntended.Kind.BATCH, doubt1, doubt2);
            harness.send(STATE, partition, OwnedLaneStates.MIGRATED, IntakeHarness.MIGRATED_MARK);
            entry(harness, partition, committed, new LaneGroupState.Intent(recordedIntent, "batch-recorded-" + run,
                    null));
            entry(harness, partition, calledAt, new LaneGroupState.Intent(calledIntent, null,
                    new DispatchSettled("e-settled-" + run, 1, Instant.now(), calledIntent.intentId(),
                            Providers.OPENAI, run, true, null)));
            entry(harness, partition, doubtAt, new LaneGroupState.Intent(doubtIntent, null, null));
            harness.commit(partition, committed);
            String madeBeforeTheCrash = "batch-made-before-the-crash-" + run;
            harness.provider.batches.add(new FakeProvider.Created(madeBeforeTheCrash, doubtIntent.intentId(), 2,
                    Instant.now()));

            // when a fresh intake is given the partition
            harness.start();

            // then it reads from the committed offset to the end, and the lane group below it is not delivered at all
            await().atMost(Duration.ofSeconds(90)).until(() -> harness.committed(partition) >= end);
            assertThat(harness.dispatches).extracting(IntakeHarness.Dispatch::groupKey)
                    .doesNotContain(LaneGroup.key(run, "o3.below", 1))
                    .contains(LaneGroup.key(run, "o3.recorded", 1), LaneGroup.key(run, "o3.called", 1),
                            LaneGroup.key(run, "o3.doubt", 1));
            // and what that life saw through is not paid again: the settled call is not made, the recorded batch is
            // not created again
            assertThat(harness.provider.calls.get()).as("synchronous calls").isZero();
            // and the intent in doubt is reconciled with the provider's listing: the batch found there is recorded
            // for it, and none is created for its requests
            assertThat(reader.readEvents(Topics.BATCHES.name(), BatchSubmitted.class,
                    b -> b.runId().equals(run) && b.intentId().equals(doubtIntent.intentId()), 1,
                    Duration.ofSeconds(30)))
                    .singleElement().extracting(BatchSubmitted::batchId).isEqualTo(madeBeforeTheCrash);
            // and the lane group above them is dispatched once: its one intent is the only one this life wrote, and
            // its batch the only one it created
            List<DispatchIntended> written = reader.readEvents(Topics.BATCHES.name(), DispatchIntended.class,
                    i -> i.runId().equals(run), 2, Duration.ofSeconds(5));
            assertThat(written).singleElement().satisfies(i -> {
                assertThat(i.conditionSlug()).isEqualTo("o3.fresh");
                assertThat(i.customIds()).containsExactly(fresh1.customId(), fresh2.customId());
            });
            assertThat(harness.provider.batches).extracting(FakeProvider.Created::intentId)
                    .containsExactly(doubtIntent.intentId(), written.get(0).intentId());
            assertThat(harness.dispatches).filteredOn(d -> d.groupKey().equals(LaneGroup.key(run, "o3.fresh", 1)))
                    .hasSize(1);
        }
    }

    @Test
    void shouldHoldOnlyThePartitionOfAnUnreadableEntryAndNameItInReadinessWhileTheOthersAreDispatched()
            throws Exception {
        String run = "run-" + UUID.randomUUID();
        int held = 4;
        int free = 5;
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers());
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            // given request partition 4 with a (dry-run) request above its committed offset, whose lane group's entry
            // in the dispatch state this dispatcher cannot read (written by a newer version of it)
            GenerationRequested waiting = IntakeHarness.request(run, "o3.held", "p01", 1, RunMode.BATCH, true, 1);
            long waitingAt = harness.send(REQUESTS, held, waiting);
            String unreadable = harness.unreadableEntry(held, waiting, waitingAt);
            // and partition 5 with a readable state and a (dry-run) request above its committed offset
            GenerationRequested first = IntakeHarness.request(run, "o3.free", "p01", 1, RunMode.BATCH, true, 1);
            long firstAt = harness.send(REQUESTS, free, first);
            harness.send(STATE, free, OwnedLaneStates.MIGRATED, IntakeHarness.MIGRATED_MARK);
            harness.commit(free, firstAt);

            // when a fresh intake is given them, and a request arrives on partition 5 later
            harness.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> harness.committed(free) > firstAt);
            GenerationRequested later = IntakeHarness.request(run, "o3.later", "p01", 1, RunMode.BATCH, true, 1);
            long laterAt = harness.send(REQUESTS, free, later);

            // then partition 5 is dispatched on: both its requests have their results, and its offset passes them
            assertThat(reader.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(run) && !c.generationId().equals(waiting.generationId()), 2,
                    Duration.ofSeconds(60)))
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo(GenerationStatus.DRY_RUN))
                    .extracting(GenerationCompleted::generationId)
                    .containsExactlyInAnyOrder(first.generationId(), later.generationId());
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.committed(free) > laterAt);
            // while partition 4 is held: its request is not dispatched and its offset stays where it was
            assertThat(harness.dispatches).extracting(IntakeHarness.Dispatch::groupKey).doesNotContain(unreadable);
            assertThat(harness.committed(held)).isEqualTo(waitingAt);
            // and readiness says so, naming the partition and the entry
            assertThat(harness.intake.ready()).isFalse();
            assertThat(harness.intake.notReadyBecause())
                    .contains("partition " + held + " of " + STATE)
                    .contains("'" + unreadable + "'");
        }
    }

    /** An intent an earlier life wrote for these requests of a lane. */
    private static DispatchIntended intent(String run, String slug, DispatchIntended.Kind kind,
                                           GenerationRequested... requests) {
        String intentId = "intent-" + slug + "-" + run;
        return new DispatchIntended("e-" + intentId, 1, Instant.now(), intentId, Providers.OPENAI, run, slug, "o3",
                kind, 0, Arrays.stream(requests).map(GenerationRequested::customId).toList());
    }

    /** The entry an earlier life committed for the lane group of an intent, whose last record is at {@code last}. */
    private static void entry(IntakeHarness harness, int partition, long last, LaneGroupState.Intent intent) {
        DispatchIntended intended = intent.intended();
        String key = LaneGroup.key(intended.runId(), intended.conditionSlug(), 1);
        harness.send(STATE, partition, key, new LaneGroupState(LaneGroupState.SCHEMA_VERSION, key, last,
                List.of(intent)).toBytes());
    }
}
