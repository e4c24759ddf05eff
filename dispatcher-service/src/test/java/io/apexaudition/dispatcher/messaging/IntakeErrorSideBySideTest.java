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
 * An Error in a lane group dispatched side by side, on a broker of its own (the broken group's request stays on the
 * topic undispatched, and a later test's intake would call it): the intake stops as for an Error on its own thread,
 * once the other lane groups under way have committed what they paid for.
 */
class IntakeErrorSideBySideTest {
    private static final String REQUESTS = Topics.GENERATION_REQUESTS_OPENAI.name();

    @RegisterExtension
    static final IntakeHarness.Broker KAFKA = new IntakeHarness.Broker();

    @Test
    void shouldStopTheIntakeOnAnErrorInALaneDispatchedSideBySideOnceTheOtherLanesResultIsCommitted()
            throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers());
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given two synchronous lane groups completed by one poll, so dispatched side by side on the lanes'
            // threads, the first of which hits an Error while the other's call (500 ms) is under way
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.SYNC));
            String broken = LaneGroup.key(run, "o3.broken", 1);
            harness.errorNextDispatchOf = broken;
            GenerationRequested paid = IntakeHarness.request(run, "4o.paid", "p01", 1, RunMode.SYNC, false, 1);
            harness.send(REQUESTS, 3, IntakeHarness.request(run, "o3.broken", "p01", 1, RunMode.SYNC, false, 1));
            harness.send(REQUESTS, 3, paid);

            // when the intake reads them
            harness.start();

            // then the intake stops as it would for an Error on its own thread: liveness DOWN, naming it
            await().atMost(Duration.ofSeconds(90)).until(() -> harness.intake.stoppedBecause() != null);
            assertThat(harness.intake.stoppedBecause()).contains("StackOverflowError: scripted for " + broken);
            // and not before the other lane's paid call was committed: its result is there, not lost
            assertThat(harness.provider.calls.get()).as("calls paid").isEqualTo(1);
            assertThat(reader.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(run), 1, Duration.ofSeconds(10)))
                    .singleElement().satisfies(c -> {
                        assertThat(c.generationId()).isEqualTo(paid.generationId());
                        assertThat(c.status()).isEqualTo(GenerationStatus.COMPLETED);
                    });
        }
    }
}
