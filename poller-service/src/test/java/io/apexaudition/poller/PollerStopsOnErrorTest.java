package io.apexaudition.poller;

import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** In an application of its own: the Error stops this instance's polling for good, as it should. */
@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
@TestProfile(PollerStopsOnErrorTest.ErrorOnPoll.class)
class PollerStopsOnErrorTest {
    static final String BATCH = "error-batch-1";

    /** The scripted provider throws a StackOverflowError when asked about {@link #BATCH}. */
    public static class ErrorOnPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apex.test.error-batch", BATCH);
        }
    }

    @Test
    void shouldGoLivenessDownNamingTheErrorAndTheBatchWhenPollingHitsAnError() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            kafka.publish(Topics.BATCHES.name(), ScriptedProviders.batch(BATCH, "run-poll-error"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().get("/q/health/live").then().statusCode(503)
                            .body("checks.find { it.name == 'batch-poller' }.status", is("DOWN"))
                            .body("checks.find { it.name == 'batch-poller' }.data.stopped", is("batch-poller stopped on "
                                    + "java.lang.StackOverflowError: scripted for " + BATCH + " while handling openai "
                                    + "batch " + BATCH + " of run run-poll-error")));
        }
    }
}
