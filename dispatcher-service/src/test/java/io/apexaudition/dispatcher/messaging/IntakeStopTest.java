package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dispatcher stopping while synchronous lane groups are handed to its lanes' threads: those under way commit what
 * they paid for before it leaves, those not started never start (the stop waits for no new paid call; their records
 * are read again by the partitions' next owner). On a broker of its own: its requests stay on the topic undispatched.
 */
class IntakeStopTest {
    private static final String REQUESTS = Topics.GENERATION_REQUESTS_OPENAI.name();

    @RegisterExtension
    static final IntakeHarness.Broker KAFKA = new IntakeHarness.Broker();

    @Test
    void shouldStartNoQueuedLaneGroupOnceTheDispatcherStopsAndCommitThoseUnderWay() throws Exception {
        String run = "run-" + UUID.randomUUID();
        CountDownLatch answer = new CountDownLatch(1);
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers());
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given 6 synchronous lane groups of one request each: 4 under way on the lanes' threads (intents
            // committed, one call held unanswered, the others waiting for the model's limiter), 2 queued
            harness.provider.onCall = body -> IntakeHarness.hold(answer);
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.SYNC));
            for (int lane = 0; lane < 6; lane++) {
                harness.send(REQUESTS, lane, IntakeHarness.request(run, "o3.lane" + lane, "p01", 1, RunMode.SYNC,
                        false, 1));
            }
            harness.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.provider.calls.get() == 1);

            // when the dispatcher stops, and the held call is answered while it waits
            Thread stopping = new Thread(() -> {
                try {
                    harness.intake.stop(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopping.start();
            Thread.sleep(1_000);
            answer.countDown();
            stopping.join(60_000);

            // then the 4 under way made their calls and committed them, and the 2 queued never started
            assertThat(stopping.isAlive()).as("still stopping").isFalse();
            assertThat(harness.provider.calls.get()).as("calls paid").isEqualTo(4);
            assertThat(reader.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(run), 5, Duration.ofSeconds(10)))
                    .hasSize(4).allSatisfy(c -> assertThat(c.status()).isEqualTo(GenerationStatus.COMPLETED));
        }
    }
}
