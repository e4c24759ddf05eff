package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Synchronous lane groups run on the lanes' threads while the intake polls on, so a rebalance can come while they are
 * under way (a second dispatcher joining): a partition it takes away goes only once its lane groups under way committed
 * what they paid for (those not started yet are left to the next owner: which lane groups those are depends on the
 * order the lanes' threads took them, so it is not asserted here; {@link IntakeStopTest} shows a withdrawal). On a
 * broker of its own: the group's two members are this test's.
 */
class RevokedPartitionTest {
    private static final String REQUESTS = Topics.GENERATION_REQUESTS_OPENAI.name();
    private static final int LANES = 8;

    @RegisterExtension
    static final IntakeHarness.Broker KAFKA = new IntakeHarness.Broker();

    @Test
    void shouldHandARevokedPartitionOverOnlyOnceItsLaneGroupsUnderWayCommittedWhatTheyPaidFor() throws Exception {
        String run = "run-" + UUID.randomUUID();
        CountDownLatch answer = new CountDownLatch(1);
        try (IntakeHarness first = new IntakeHarness(KAFKA.servers());
             IntakeHarness second = new IntakeHarness(KAFKA.servers());
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given 8 synchronous lane groups over the 6 request partitions, all the first dispatcher's: 4 under way
            // on its lanes' threads (intents committed, one call held unanswered, the others waiting for the model's
            // limiter), 4 queued behind them (as many as it hands over at most)
            first.provider.onCall = body -> IntakeHarness.hold(answer);
            first.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.SYNC));
            List<GenerationRequested> requests = new ArrayList<>();
            for (int lane = 0; lane < LANES; lane++) {
                GenerationRequested r = IntakeHarness.request(run, "o3.lane" + lane, "p01", 1, RunMode.SYNC, false, 1);
                requests.add(r);
                first.send(REQUESTS, lane % 6, r);
            }
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> first.provider.calls.get() == 1);

            // when a second dispatcher joins the group (which takes partitions from the first) and the held call is
            // answered a moment later, while the first waits to let its revoked partitions go
            second.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.servers()))) {
                // the first is told what it loses once the group's first rebalance gave it half the partitions and
                // the second none yet: it waits there, in its rebalance callback, for the held call
                await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeConsumerGroups(
                        List.of(first.config.groupId())).all().get().get(first.config.groupId()).members().stream()
                        .anyMatch(m -> m.assignment().topicPartitions().size() == 3));
            }
            Thread.sleep(500);
            assertThat(second.provider.calls.get()).as("calls of the second before the first let go").isZero();
            answer.countDown();

            // then every generation is completed once, from a call paid once: the lane groups under way in the
            // revoked partitions committed their results before the partitions went, and none ends unknown
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(reader.readEvents(
                    Topics.GENERATION_RESULTS.name(), GenerationCompleted.class, c -> c.runId().equals(run), LANES,
                    Duration.ofSeconds(5))).hasSize(LANES));
            List<GenerationCompleted> results = reader.readEvents(Topics.GENERATION_RESULTS.name(),
                    GenerationCompleted.class, c -> c.runId().equals(run), LANES + 1, Duration.ofSeconds(5));
            assertThat(results).extracting(GenerationCompleted::generationId)
                    .containsExactlyInAnyOrderElementsOf(requests.stream().map(GenerationRequested::generationId)
                            .toList());
            assertThat(results).allSatisfy(c -> assertThat(c.status()).as(c.generationId() + ": " + c.errorMessage())
                    .isEqualTo(GenerationStatus.COMPLETED));
            assertThat(first.provider.calls.get() + second.provider.calls.get()).as("calls paid").isEqualTo(LANES);
        }
    }
}
