package io.apexaudition.poller;

import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.MetricsText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class PollerServiceTest {
    @Inject
    PollerConfig config;

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
            MetricsText metrics = new MetricsText(given().get("/q/metrics").then().statusCode(200).extract().asString());
            assertThat(metrics.sum("apex_records_parked_total", "consumer", "poller-service", "topic",
                    Topics.BATCHES.name())).as("%s", metrics.samples("apex_")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void shouldShowTheGroupConsumersOwnKafkaMetrics() {
        // given a poller whose group consumer (built by the intake, not by SmallRye) owns apex.batches' partitions
        String client = config.transactionalId() + "-intake";

        // then /q/metrics holds that client's metrics: what it was assigned, and its lag on apex.batches
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            MetricsText metrics = new MetricsText(given().get("/q/metrics").then().statusCode(200).extract().asString());
            assertThat(metrics.sum("kafka_consumer_coordinator_assigned_partitions", "client_id", client))
                    .as("%s", metrics.samples("kafka_consumer_coordinator_assigned")).isGreaterThanOrEqualTo(1);
            assertThat(metrics.has("kafka_consumer_fetch_manager_records_lag_max"))
                    .as("%s", metrics.samples("kafka_consumer_fetch_manager_records_lag")).isTrue();
        });
    }

    @Test
    void shouldBeReadyWhenKafkaAnswers() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                        // the outage check comes from kafka-plumbing's jar, found only because it is indexed
                        .body("checks.name", hasItem("kafka-work"))
                        // and the open batches of its partitions are restored
                        .body("checks.find { it.name == 'open-batches' }.status", is("UP")));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldParkIncompleteBatchRecordsAndStillPollTheNextBatch() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given a BatchSubmitted without its batch id, valid JSON (apex.batch-status is the poller's own output,
            // no longer read by it: the recorder parks what is wrong there)
            BatchSubmitted incomplete = ScriptedProviders.batch(null, "run-poll-incomplete");
            kafka.publishRaw(Topics.BATCHES.name(), "incomplete-batch", EventJson.write(incomplete));
            // and a batch of a provider the poller does not know (readable, and complete as an event)
            BatchSubmitted unknown = ScriptedProviders.batch("batch-of-mistral", "run-poll-incomplete");
            kafka.publishRaw(Topics.BATCHES.name(), "incomplete-provider", EventJson.write(unknown)
                    .replace("\"provider\":\"openai\"", "\"provider\":\"mistral\""));
            // and then a complete one
            String batchId = "done-" + UUID.randomUUID();
            kafka.publish(Topics.BATCHES.name(), ScriptedProviders.batch(batchId, "run-poll-next"));

            // then each is parked with what is wrong, and the next batch is polled and its results committed
            assertThat(kafka.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.sourceKey() != null && d.sourceKey().startsWith("incomplete-"), 2, Duration.ofSeconds(60)))
                    .hasSize(2).allSatisfy(d -> assertThat(d.consumer()).isEqualTo("poller-service"))
                    .extracting(DeadLettered::reason).satisfiesExactlyInAnyOrder(
                            r -> assertThat(r).contains("BatchSubmitted").contains("batchId is missing"),
                            r -> assertThat(r).contains("provider 'mistral' is not one of [openai, anthropic]")
                                    .contains("Fix the producer that wrote it"));
            assertThat(kafka.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    r -> batchId.equals(r.batchId()), 2, Duration.ofSeconds(60)))
                    .extracting(GenerationCompleted::outputText).containsExactlyInAnyOrder("first", "second");
        }
    }

    @Test
    void shouldCommitEveryResultOnceWhenTheDownloadBrokePartWayFirst() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given a batch whose first results download breaks after its first line was sent in the transaction
            String batchId = "breaks-once-" + UUID.randomUUID();
            kafka.publish(Topics.BATCHES.name(), ScriptedProviders.batch(batchId, "run-poll-broken"));

            // when it is retrieved again and committed
            assertThat(kafka.readEvents(Topics.BATCH_STATUS.name(), BatchStatusChanged.class,
                    s -> batchId.equals(s.batchId()) && s.terminal(), 1, Duration.ofSeconds(60))).hasSize(1);

            // then each generation has exactly one committed result: the aborted first attempt is nowhere
            assertThat(kafka.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    r -> batchId.equals(r.batchId()), 3, Duration.ofSeconds(5)))
                    .extracting(GenerationCompleted::generationId)
                    .containsExactlyInAnyOrder("g1-" + batchId, "g2-" + batchId);
        }
    }

    @Test
    void shouldKeepAnOpenBatchInOpenBatchesWithoutBodiesAndDeleteItWithItsResults() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given a batch submitted with its request bodies
            String batchId = "done-" + UUID.randomUUID();
            kafka.publish(Topics.BATCHES.name(), ScriptedProviders.batch(batchId, "run-poll-state"));

            // when its results are committed
            assertThat(kafka.readEvents(Topics.BATCH_STATUS.name(), BatchStatusChanged.class,
                    s -> batchId.equals(s.batchId()) && s.terminal(), 1, Duration.ofSeconds(60))).hasSize(1);

            // then apex.open-batches held it (keyed by batch id, no bodies) and holds its tombstone after it
            List<ConsumerRecord<String, String>> state = kafka.readUntil(Topics.OPEN_BATCHES.name(),
                    all -> all.stream().filter(r -> batchId.equals(r.key())).count() >= 2, Duration.ofSeconds(10))
                    .stream().filter(r -> batchId.equals(r.key())).toList();
            assertThat(state).hasSize(2);
            assertThat(state.get(0).value()).contains(batchId).doesNotContain("\"requestBody\":\"{}\"");
            assertThat(state.get(1).value()).isNull();
            assertThat(state.get(1).partition()).isEqualTo(state.get(0).partition());
        }
    }

    @Test
    void shouldStayReadyButNameABatchThatKeepsFailingTheSameWay() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            String batchId = "failing-" + UUID.randomUUID();
            kafka.publish(Topics.BATCHES.name(), ScriptedProviders.batch(batchId, "run-poll-failing"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().get("/q/health/ready").then()
                            .body("checks.find { it.name == 'batch-failures' }.status", is("UP"))
                            .body(containsString(batchId))
                            .body(containsString("ProviderCallException: scripted outage for " + batchId)));
            given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
            // and it is still an open batch in /q/metrics
            MetricsText metrics = new MetricsText(given().get("/q/metrics").then().statusCode(200).extract().asString());
            assertThat(metrics.sum("apex_batches_open", "provider", "openai", "state", "submitted"))
                    .as("%s", metrics.samples("apex_")).isGreaterThanOrEqualTo(1);
        }
    }
}
