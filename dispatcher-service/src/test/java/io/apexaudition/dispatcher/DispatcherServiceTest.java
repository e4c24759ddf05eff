package io.apexaudition.dispatcher;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.MetricsText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class DispatcherServiceTest {

    private static GenerationRequested dryRunRequest(String runId, String promptId) {
        return dryRunRequest(runId, promptId, 1);
    }

    private static GenerationRequested dryRunRequest(String runId, String promptId, int promptVersion) {
        String id = EventIds.generationId(runId, "o3.reason-high", promptId, 1);
        return new GenerationRequested("e-" + id, 1, Instant.now(), runId, id, 1, "cond-o3", "o3.reason-high",
                Providers.OPENAI, "o3", "o3", new LaneParameters(null, null, 36000, "high", null), promptId,
                promptVersion,
                "Write a sonnet about tides", "House style", 1, RunMode.BATCH, false, true, true, 1);
    }

    /** What the planner commits with a run's requests; the dispatcher honours requests of accepted runs only. */
    private static RunAccepted accepted(String runId) {
        return new RunAccepted("a-" + runId, 1, Instant.now(), runId, RunMode.BATCH, false, true, true, null, 1,
                "test", "", List.of(), List.of("p01"), 1);
    }

    /** The body stored under a result's claim check, checked to be the one its hash names. */
    private static String bodyOf(KafkaTestClient kafka, String hash) {
        Map<String, String> stored = kafka.wholeBodies(hash::equals, 1, Duration.ofSeconds(30));
        assertThat(stored).containsKey(hash);
        return stored.get(hash);
    }

    @Test
    void shouldRecordTheExactBodyOfADryRunWithoutCallingTheProvider() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            GenerationRequested request = dryRunRequest("run-disp-1", "p01");
            kafka.publish(Topics.RUNS.name(), accepted("run-disp-1"));

            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), request);

            List<GenerationCompleted> results = kafka.readEvents(Topics.GENERATION_RESULTS.name(),
                    GenerationCompleted.class, c -> c.runId().equals("run-disp-1"), 1, Duration.ofSeconds(60));
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(GenerationStatus.DRY_RUN);
                assertThat(r.generationId()).isEqualTo(request.generationId());
                assertThat(r.promptVersion()).isEqualTo(1);
                assertThat(bodyOf(kafka, r.requestBodyHash())).contains("\"reasoning_effort\":\"high\"")
                        .contains("\"max_completion_tokens\":36000").doesNotContain("temperature");
            });
        }
    }

    @Test
    void shouldBuildTheBodyOfARequestNamingItsPromptFromTheCatalogExactlyAsFromItsOwnTexts() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given a prompt version in apex.prompts, and the planner's request naming it by reference
            kafka.publish(Topics.PROMPTS.name(), new PromptIngested("pi-p77", 1, Instant.now(), "p77", 2, "h",
                    "Tides", "poem", "Write a sonnet about tides", "House style"));
            GenerationRequested inline = dryRunRequest("run-disp-ref", "p77", 2);
            kafka.publish(Topics.RUNS.name(), accepted("run-disp-ref"));

            // when the request arrives without its texts
            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), inline.withTextsByReference());

            // then the body sent is the one the texts would have given
            List<GenerationCompleted> results = kafka.readEvents(Topics.GENERATION_RESULTS.name(),
                    GenerationCompleted.class, c -> c.runId().equals("run-disp-ref"), 1, Duration.ofSeconds(60));
            String expected = RequestBodies.json(RequestBodies.body(inline));
            assertThat(results).singleElement().extracting(GenerationCompleted::requestBodyHash)
                    .isEqualTo(RequestBodyStored.hashOf(expected));
            assertThat(bodyOf(kafka, results.get(0).requestBodyHash())).isEqualTo(expected);
        }
    }

    @Test
    void shouldParkARequestNamingAPromptVersionNeverIngested() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            kafka.publish(Topics.RUNS.name(), accepted("run-disp-noprompt"));

            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(),
                    dryRunRequest("run-disp-noprompt", "p404", 9).withTextsByReference());

            assertThat(kafka.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.reason().contains("p404"), 1, Duration.ofSeconds(90)))
                    .singleElement().extracting(DeadLettered::reason).asString()
                    .contains("version 9").contains("apex prompts ingest");
        }
    }

    @Test
    void shouldParkAnUnreadableRequestAndDispatchTheNextOne() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            kafka.publish(Topics.RUNS.name(), accepted("run-disp-2"));
            kafka.publishRaw(Topics.GENERATION_REQUESTS_OPENAI.name(), "run-disp-2/x", "not json at all");
            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), dryRunRequest("run-disp-2", "p01"));

            assertThat(kafka.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals("run-disp-2"), 1, Duration.ofSeconds(60))).hasSize(1);
            assertThat(kafka.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> "run-disp-2/x".equals(d.sourceKey()), 1, Duration.ofSeconds(30)))
                    .singleElement().extracting(DeadLettered::reason).asString().contains("malformed JSON");

            // and /q/metrics counts the parked record, and shows the request consumer's lag
            MetricsText metrics = new MetricsText(given().get("/q/metrics").then().statusCode(200).extract().asString());
            assertThat(metrics.sum("apex_records_parked_total", "consumer", "dispatcher-openai", "topic",
                    Topics.GENERATION_REQUESTS_OPENAI.name())).as("%s", metrics.samples("apex_"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics.samples("kafka_consumer_fetch_manager_records_lag_max"))
                    .contains("client_id=\"apex-dispatcher-openai");
        }
    }

    @Test
    void shouldParkARequestOfARunThePlannerNeverAcceptedWithoutCallingTheProvider() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given a request published straight to the dispatcher's topic, for a run the planner never accepted
            GenerationRequested forged = dryRunRequest("run-forged", "p01");

            // when it arrives, followed by a request of an accepted run
            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), forged);
            kafka.publish(Topics.RUNS.name(), accepted("run-disp-3"));
            kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), dryRunRequest("run-disp-3", "p01"));

            // then it is parked with the reason, and only the accepted run's request is dispatched
            assertThat(kafka.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.reason().contains("run-forged"), 1, Duration.ofSeconds(30)))
                    .singleElement().extracting(DeadLettered::reason).asString().contains("never accepted");
            assertThat(kafka.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals("run-disp-3") || c.runId().equals("run-forged"), 1, Duration.ofSeconds(60)))
                    .extracting(GenerationCompleted::runId).containsExactly("run-disp-3");
        }
    }

    @Test
    void shouldBeReadyAndLive() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                        // the outage check comes from kafka-plumbing's jar, found only because it is indexed
                        .body("checks.name", hasItem("kafka-work")));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }
}
