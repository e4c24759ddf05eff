package io.apexaudition.poller;

import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class PollerServiceTest {

    @Test
    void shouldParkAnUnreadableBatchRecordInTheDeadLetterTopic() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            kafka.publishRaw(Topics.BATCHES.name(), "poison-poller", "{\"type\":\"BatchSubmitted\", nope");

            assertThat(kafka.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> "poison-poller".equals(d.sourceKey()), 1, Duration.ofSeconds(60)))
                    .singleElement().satisfies(d -> {
                        assertThat(d.consumer()).isEqualTo("poller-service");
                        assertThat(d.reason()).contains("malformed JSON");
                    });
        }
    }

    @Test
    void shouldBeReadyWhenKafkaAnswers() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }
}
