package io.apexaudition.poller;

import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.poller.messaging.BatchTrackingProcessor;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class PollerServiceTest {

    @Inject
    BatchTrackingProcessor tracker;

    @Test
    void shouldTrackASubmittedBatchFromTheRealBroker() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            kafka.publishRaw(Topics.BATCHES.name(), "junk", "{broken");
            kafka.publish(Topics.BATCHES.name(), new BatchSubmitted("e1", 1, Instant.now(), "batch_poll_1",
                    Providers.ANTHROPIC, "run-poll-1", "claude-opus-4-1", "intent-1", null,
                    List.of(new BatchEntry("g1-a1", "g1", 1, "c1", "opus.t0-8.std", "p01", "{}"))));

            await().atMost(Duration.ofSeconds(60)).until(() -> tracker.openBatches().containsKey("batch_poll_1"));
        }
    }

    @Test
    void shouldBeReadyAndLive() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }
}
