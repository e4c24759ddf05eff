package io.apexaudition.planner;

import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.JudgingFixtures;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.MetricsText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.apache.kafka.common.utils.Utils;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class PlannerServiceTest {

    @Test
    void shouldFanOutARunCommandThroughTheRealBroker() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given registered lanes and prompts
            kafka.publish(Topics.LANES.name(), Fixtures.gpt5Min());
            kafka.publish(Topics.LANES.name(), Fixtures.sonnetStd());
            for (int i = 1; i <= 4; i++) {
                kafka.publish(Topics.PROMPTS.name(), Fixtures.prompt(i));
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));

            // when a run command for one lane with a limit arrives (after the stores have caught up)
            kafka.publishRaw(Topics.RUN_COMMANDS.name(), "run-planner-it",
                    "{\"runId\":\"run-planner-it\",\"conditionSlugs\":[\"sonnet.t0-8.std\"],\"limit\":3}");

            // then exactly one verdict and three requests, on the anthropic topic only
            List<RunAccepted> accepted = kafka.readEvents(Topics.RUNS.name(), RunAccepted.class,
                    a -> a.runId().equals("run-planner-it"), 1, Duration.ofSeconds(60));
            List<RunRejected> rejected = kafka.readEvents(Topics.RUNS.name(), RunRejected.class,
                    a -> a.runId().equals("run-planner-it"), 1, Duration.ofSeconds(1));
            assertThat(rejected).as("rejections: %s", rejected).isEmpty();
            assertThat(accepted).singleElement().extracting(RunAccepted::expectedGenerations).isEqualTo(3);
            List<GenerationRequested> requests = kafka.readEvents(Topics.GENERATION_REQUESTS_ANTHROPIC.name(),
                    GenerationRequested.class, r -> r.runId().equals("run-planner-it"), 3, Duration.ofSeconds(30));
            assertThat(requests).extracting(GenerationRequested::promptId).containsExactlyInAnyOrder("p01", "p02", "p03");

            // and /q/metrics counts the fan-out, and shows the Streams consumers' lag
            MetricsText metrics = new MetricsText(given().get("/q/metrics").then().statusCode(200).extract().asString());
            assertThat(metrics.sum("apex_planner_fanout_total", "provider", "anthropic"))
                    .as("%s", metrics.samples("apex_")).isGreaterThanOrEqualTo(3);
            assertThat(metrics.has("kafka_consumer_fetch_manager_records_lag_max"))
                    .as("%s", metrics.samples("kafka_consumer_fetch")).isTrue();
        }
    }

    @Test
    void shouldPlanAJudgingPassOfARunThatApexRunsShowsCompletedWhateverPartitionItsCommandsWentTo() {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            // given a judge lane, and a source run that apex.runs shows accepted and completed
            kafka.publish(Topics.LANES.name(), JudgingFixtures.judge4o());
            kafka.publish(Topics.RUNS.name(), new RunAccepted("a-src", 1, Fixtures.AT, JudgingFixtures.SOURCE,
                    RunMode.BATCH, false, false, true, null, 1, "ada", null, List.of(), List.of(), 1));
            kafka.publish(Topics.RUNS.name(), new RunCompleted("c-src", 1, Fixtures.AT, JudgingFixtures.SOURCE, 1, 1,
                    0, 0, BigDecimal.ONE));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));

            // when judging commands for it arrive keyed by run ids of other partitions than the source run's
            List<String> judgingRuns = IntStream.range(0, 100).mapToObj(i -> "run-src.judge-it-" + i)
                    .filter(id -> partition(id) != partition(JudgingFixtures.SOURCE)).limit(3).toList();
            for (String runId : judgingRuns) {
                kafka.publish(Topics.RUN_COMMANDS.name(), JudgingFixtures.command(runId, JudgingKind.RUBRIC,
                        List.of("judge.4o"), 4, JudgingFixtures.prompts(1),
                        JudgingFixtures.outputs(List.of("4o.t0-6", "opus.t0-8.std"), 1)));
            }

            // then each is accepted with its two judge requests
            List<RunAccepted> accepted = kafka.readEvents(Topics.RUNS.name(), RunAccepted.class,
                    a -> judgingRuns.contains(a.runId()), 3, Duration.ofSeconds(60));
            List<RunRejected> rejected = kafka.readEvents(Topics.RUNS.name(), RunRejected.class,
                    r -> judgingRuns.contains(r.runId()), 1, Duration.ofSeconds(1));
            assertThat(rejected).as("rejections: %s", rejected).isEmpty();
            assertThat(accepted).hasSize(3).allMatch(a -> a.expectedGenerations() == 2);
        }
    }

    /** The partition of apex.run-commands a key goes to (the producers' default partitioner). */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.RUN_COMMANDS.partitions();
    }

    @Test
    void shouldReportLivenessUpOnceTheStreamsApplicationRuns() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/live").then().statusCode(200).body("status", is("UP")));
    }
}
