package io.apexaudition.messaging;

import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness waits for a tail to read its history; liveness says when a tail's thread died. Real broker. */
class TopicTailsCheckTest {

    @Test
    void shouldBeNotReadyWhileATailStillReadsItsHistoryAndReadyOnceItHas() {
        // given a topic holding history, and a tail that reads it slowly
        String servers = KafkaInfra.bootstrapServers();
        try (KafkaTestClient kafka = new KafkaTestClient(servers)) {
            for (int i = 0; i < 40; i++) {
                kafka.publishRaw(Topics.RUN_COMMANDS.name(), "history-" + i, "{}");
            }
        }
        AtomicInteger read = new AtomicInteger();
        try (TopicTail tail = new TopicTail("slow-history", servers, List.of(Topics.RUN_COMMANDS.name()), r -> {
            sleep(25);
            read.incrementAndGet();
        })) {
            // when it starts
            tail.start();

            // then readiness is DOWN while it reads, naming it, and UP once it has read what was there
            HealthCheckResponse early = TopicTailsCheck.readiness(() -> List.of(tail));
            assertThat(early.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(early.getData().orElseThrow()).containsEntry("slow-history", "reading");
            await().atMost(Duration.ofSeconds(60)).until(() -> TopicTailsCheck.readiness(() -> List.of(tail))
                    .getStatus() == HealthCheckResponse.Status.UP);
            assertThat(read.get()).isGreaterThanOrEqualTo(40);
            assertThat(TopicTail.open()).contains(tail);
        }
    }

    @Test
    void shouldReportATailWhoseThreadDiedOfAnErrorAsNotLive() {
        String servers = KafkaInfra.bootstrapServers();
        try (KafkaTestClient kafka = new KafkaTestClient(servers)) {
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "poison", "{}");
        }
        // given a tail whose handler runs out of memory on the first record
        try (TopicTail tail = new TopicTail("dying", servers, List.of(Topics.RUN_COMMANDS.name()), r -> {
            throw new OutOfMemoryError("simulated: Java heap space");
        })) {
            tail.start();

            // then liveness goes DOWN naming the error, and readiness stays DOWN
            await().atMost(Duration.ofSeconds(60)).until(() -> TopicTailsCheck.liveness(() -> List.of(tail))
                    .getStatus() == HealthCheckResponse.Status.DOWN);
            assertThat(TopicTailsCheck.liveness(() -> List.of(tail)).getData().orElseThrow().get("dying"))
                    .asString().contains("Java heap space").contains("restart");
            assertThat(TopicTailsCheck.readiness(() -> List.of(tail)).getStatus())
                    .isEqualTo(HealthCheckResponse.Status.DOWN);
        }
        assertThat(TopicTail.open()).noneMatch(t -> t.name().equals("dying"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
