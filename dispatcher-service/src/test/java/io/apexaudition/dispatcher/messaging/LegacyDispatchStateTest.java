package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-time derivation of a request partition's dispatch state from history, on a broker of its own: a stack from
 * before the state topic (no {@code !migrated} marker) and a group whose offset is gone (no committed offset).
 */
class LegacyDispatchStateTest {
    private static final String REQUESTS = Topics.GENERATION_REQUESTS_OPENAI.name();

    @RegisterExtension
    static final IntakeHarness.Broker KAFKA = new IntakeHarness.Broker();

    @Test
    void shouldDeriveThePartitionsWithoutStateFromHistorySoNothingAlreadySubmittedIsPaidAgain() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers())) {
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            // given partition 1 with a committed offset but no state (a stack from before the state topic): a lane
            // group seen through below the offset, then one whose batch the old dispatcher submitted above it
            GenerationRequested below = IntakeHarness.request(run, "o3.below", "p01", 1, RunMode.BATCH, false, 1);
            harness.send(REQUESTS, 1, below);
            GenerationRequested a = IntakeHarness.request(run, "o3.above", "p01", 1, RunMode.BATCH, false, 2);
            GenerationRequested b = IntakeHarness.request(run, "o3.above", "p02", 1, RunMode.BATCH, false, 2);
            long start = harness.send(REQUESTS, 1, a);
            long end1 = harness.send(REQUESTS, 1, b) + 1;
            submittedByAnOldDispatcher(harness, run, "o3.above", List.of(a, b));
            harness.commit(1, start);
            // and partition 2 with its state's marker but no committed offset (the group's offsets expired), holding a
            // lane group whose batch was submitted
            GenerationRequested c = IntakeHarness.request(run, "o3.expired", "p01", 1, RunMode.BATCH, false, 1);
            long end2 = harness.send(REQUESTS, 2, c) + 1;
            submittedByAnOldDispatcher(harness, run, "o3.expired", List.of(c));
            harness.send(Topics.DISPATCH_STATE_OPENAI.name(), 2, OwnedLaneStates.MIGRATED,
                    "{\"migratedAt\":\"2026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));

            // when the dispatcher is given those partitions
            harness.start();

            // then every request above the offsets is read and found seen through: no batch is created and nothing
            // is called (nothing paid again), and the group below the offset is not delivered at all
            await().atMost(Duration.ofSeconds(90)).until(() -> harness.committed(1) >= end1
                    && harness.committed(2) >= end2);
            assertThat(harness.provider.batches).as("batches created").isEmpty();
            assertThat(harness.provider.calls.get()).as("synchronous calls").isZero();
            assertThat(harness.dispatches).extracting(IntakeHarness.Dispatch::groupKey)
                    .contains(LaneGroup.key(run, "o3.above", 1), LaneGroup.key(run, "o3.expired", 1))
                    .doesNotContain(LaneGroup.key(run, "o3.below", 1));
        }
    }

    /** The intent and the submission an earlier dispatcher wrote to apex.batches for these requests of a lane. */
    private static void submittedByAnOldDispatcher(IntakeHarness harness, String run, String slug,
                                                   List<GenerationRequested> requests) {
        String intentId = "intent-" + slug + "-" + run;
        harness.send(Topics.BATCHES.name(), null, new DispatchIntended("e-" + intentId, 1, Instant.now(), intentId,
                Providers.OPENAI, run, slug, "o3", DispatchIntended.Kind.BATCH, 0,
                requests.stream().map(GenerationRequested::customId).toList()));
        harness.send(Topics.BATCHES.name(), null, new BatchSubmitted("s-" + intentId, 1, Instant.now(),
                "batch-" + intentId, Providers.OPENAI, run, "o3", intentId, "file-" + intentId, List.of()));
    }
}
