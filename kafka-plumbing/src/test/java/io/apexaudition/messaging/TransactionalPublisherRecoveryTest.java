package io.apexaudition.messaging;

import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaProcess;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Through a real broker process that is killed and restarted under the publisher. */
class TransactionalPublisherRecoveryTest {

    @Test
    void shouldFailClearlyDuringAnOutageAndPublishAgainOnceTheBrokerIsBack(@TempDir Path dir) {
        try (KafkaProcess kafka = KafkaProcess.start(dir);
             TransactionalPublisher publisher = new TransactionalPublisher(kafka.bootstrapServers(), "recovery-test",
                     Duration.ofSeconds(5))) {
            // given an event committed before the broker dies
            publisher.publish(Topics.DEAD_LETTERS, parked("before"));

            // when the broker is killed, a publish fails with an outage the caller can wait out
            kafka.kill();
            assertThatThrownBy(() -> publisher.publish(Topics.DEAD_LETTERS, parked("during")))
                    .isInstanceOf(KafkaUnavailableException.class)
                    .hasMessageContaining("did not commit 1 event(s)")
                    .hasMessageContaining("retrying after the broker answers again");

            // then, once it is back, the same publisher commits again without being rebuilt by its owner
            kafka.restart();
            await().atMost(Duration.ofSeconds(90)).ignoreException(KafkaUnavailableException.class)
                    .until(() -> {
                        publisher.publish(Topics.DEAD_LETTERS, parked("after"));
                        return true;
                    });
            try (KafkaTestClient reader = new KafkaTestClient(kafka.bootstrapServers())) {
                assertThat(reader.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class, d -> true, 2,
                        Duration.ofSeconds(60))).extracting(DeadLettered::reason).contains("before", "after")
                        .doesNotContain("during");
            }
        }
    }

    private static DeadLettered parked(String reason) {
        return new DeadLettered("dl-" + reason, DeadLettered.SCHEMA_VERSION, Instant.now(), "test", "apex.runs", 0, 0,
                "k", reason, "{}");
    }
}
