package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request partition held by a dispatch-state entry that cannot be read, on a broker of its own (an entry left there
 * would hold that partition in every later test of the same broker): once the operator deleted the entry, the
 * partition is dispatched and the intake ready, when the intake restores what it owns again after a failure, or when
 * a restarted one restores it.
 */
class HeldPartitionTest {
    private static final String REQUESTS = Topics.GENERATION_REQUESTS_OPENAI.name();
    private static final String STATE = Topics.DISPATCH_STATE_OPENAI.name();

    @RegisterExtension
    static final IntakeHarness.Broker KAFKA = new IntakeHarness.Broker();

    @Test
    void shouldDispatchAHeldPartitionOnceAndBeReadyWhenItsUnreadableEntryIsDeletedAndTheIntakeRestoresAgain()
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
            // and partition 5 with a readable (empty) state
            harness.send(STATE, free, OwnedLaneStates.MIGRATED, IntakeHarness.MIGRATED_MARK);
            harness.commit(free, 0);
            // and a fresh intake that holds partition 4, naming it in readiness
            harness.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> String.valueOf(harness.intake.notReadyBecause())
                    .contains("partition " + held + " of " + STATE));

            // when a dispatch on partition 5 fails, so the intake restores every partition it owns again, while the
            // entry is still there
            GenerationRequested first = IntakeHarness.request(run, "o3.first", "p01", 1, RunMode.BATCH, true, 1);
            harness.failNextDispatchOf = LaneGroup.key(run, "o3.first", 1);
            long firstAt = harness.send(REQUESTS, free, first);
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.committed(free) > firstAt);

            // then partition 5's request is dispatched after the failure, while partition 4 is still held: its
            // request is not dispatched, its offset stays, and readiness still names it and the entry
            assertThat(harness.failNextDispatchOf).as("the failed dispatch").isNull();
            assertThat(harness.dispatches).extracting(IntakeHarness.Dispatch::groupKey)
                    .contains(LaneGroup.key(run, "o3.first", 1)).doesNotContain(unreadable);
            assertThat(harness.committed(held)).isEqualTo(waitingAt);
            assertThat(harness.intake.ready()).isFalse();
            assertThat(harness.intake.notReadyBecause())
                    .contains("partition " + held + " of " + STATE)
                    .contains("'" + unreadable + "'");

            // when the operator deletes the entry (a tombstone under its key), and a dispatch on partition 5 fails
            // again, so the intake restores again, without a restart or a rebalance
            harness.send(STATE, held, unreadable, null);
            GenerationRequested second = IntakeHarness.request(run, "o3.second", "p01", 1, RunMode.BATCH, true, 1);
            harness.failNextDispatchOf = LaneGroup.key(run, "o3.second", 1);
            long secondAt = harness.send(REQUESTS, free, second);

            // then the intake is ready again, with nothing left to name
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.intake.ready());
            assertThat(harness.intake.notReadyBecause()).isNull();
            // and partition 4's request is dispatched once: one result, and its offset passes it
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.committed(held) > waitingAt
                    && harness.committed(free) > secondAt);
            assertThat(reader.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(run) && c.generationId().equals(waiting.generationId()), 2,
                    Duration.ofSeconds(5)))
                    .singleElement().extracting(GenerationCompleted::status).isEqualTo(GenerationStatus.DRY_RUN);
            assertThat(harness.dispatches).filteredOn(d -> d.groupKey().equals(unreadable)).hasSize(1);
        }
    }

    @Test
    void shouldDispatchAPartitionOnceWhenItsUnreadableEntryWasDeletedBeforeTheIntakeStarts() throws Exception {
        String run = "run-" + UUID.randomUUID();
        int partition = 2;
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers());
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            // given request partition 2 with a (dry-run) request above its committed offset, whose lane group's entry
            // in the dispatch state this dispatcher cannot read, deleted by the operator (a tombstone under its key:
            // the unreadable record stays in the log until compaction)
            GenerationRequested waiting = IntakeHarness.request(run, "o3.deleted", "p01", 1, RunMode.BATCH, true, 1);
            long waitingAt = harness.send(REQUESTS, partition, waiting);
            String deleted = harness.unreadableEntry(partition, waiting, waitingAt);
            harness.send(STATE, partition, deleted, null);

            // when a fresh intake (the restarted dispatcher) is given the partition
            harness.start();

            // then it is ready, and the request is dispatched once: one result, and the offset passes it
            await().atMost(Duration.ofSeconds(90)).until(() -> harness.committed(partition) > waitingAt);
            assertThat(harness.intake.ready()).isTrue();
            assertThat(reader.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(run), 2, Duration.ofSeconds(5)))
                    .singleElement().extracting(GenerationCompleted::generationId).isEqualTo(waiting.generationId());
            assertThat(harness.dispatches).filteredOn(d -> d.groupKey().equals(deleted)).hasSize(1);
        }
    }
}
