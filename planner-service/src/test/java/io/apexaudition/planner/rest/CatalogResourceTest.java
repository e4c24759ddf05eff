package io.apexaudition.planner.rest;

import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.PromptLibrary;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class CatalogResourceTest {
    static final Path CONFIG = Path.of("..", "config");

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void shouldRegisterTheShippedLanesOnceAndTreatARepeatAsANoOp() {
        var lanes = Map.of("lanes", LaneConfig.load(CONFIG.resolve("creative_benchmark.yaml")).lanes());
        given().contentType(ContentType.JSON).body(lanes).post("/api/lanes").then().statusCode(200).body("$", hasSize(15));

        given().contentType(ContentType.JSON).body(lanes).post("/api/lanes").then().statusCode(200)
                .body("outcome", everyItem(is("unchanged")));

        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            List<LaneRegistered> events = kafka.readEvents(Topics.LANES.name(), LaneRegistered.class,
                    l -> l.slug().equals("sonnet.t1-0.ext"), 1, Duration.ofSeconds(10));
            assertThat(events).singleElement().satisfies(l -> {
                assertThat(l.parameters().thinkingBudgetTokens()).isEqualTo(32000);
                assertThat(l.parameters().temperature()).isNull();
                assertThat(l.provider()).isEqualTo("anthropic");
            });
        }
    }

    @Test
    void shouldGiveAChangedLaneANewVersionAndConditionId() {
        String v1 = "{\"lanes\":[{\"slug\":\"it.4o\",\"model\":\"gpt-4o\",\"temperature\":0.6,\"maxTokens\":6000}]}";
        String v2 = v1.replace("0.6", "0.7");
        String first = given().contentType(ContentType.JSON).body(v1).post("/api/lanes").then().statusCode(200)
                .body("[0].outcome", is("registered")).body("[0].version", is(1)).extract().path("[0].conditionId");

        String second = given().contentType(ContentType.JSON).body(v2).post("/api/lanes").then().statusCode(200)
                .body("[0].outcome", is("registered")).body("[0].version", is(2)).extract().path("[0].conditionId");

        assertThat(second).isNotEqualTo(first);
        given().get("/api/lanes").then().body("find { it.slug == 'it.4o' }.version", is(2));
    }

    @Test
    void shouldRefuseTheSeedsLanesAsWrittenRegisteringNone() {
        var seed = Map.of("lanes", LaneConfig.load(CONFIG.resolve("seed_lanes_as_written.yaml")).lanes().stream()
                .map(l -> new io.apexaudition.core.LaneDefinition("seed-" + l.slug(), l.model(), l.description(),
                        l.temperature(), l.topP(), l.maxTokens(), l.maxCompletionTokens(), l.reasoningEffort(),
                        l.thinkingEnabled(), l.thinkingBudgetTokens())).toList());

        given().contentType(ContentType.JSON).body(seed).post("/api/lanes").then().statusCode(422)
                .body("problems.slug", hasItems("seed-sonnet.t0-8.ext", "seed-sonnet.t1-1.ext", "seed-opus.t1-0.ext",
                        "seed-opus.t1-2.ext"));
        given().get("/api/lanes").then().body("findAll { it.slug.startsWith('seed-') }", hasSize(0));
    }

    @Test
    void shouldIngestPromptsOnceAndVersionChangedContent() {
        var prompts = PromptLibrary.load(CONFIG.resolve("prompts"));
        given().contentType(ContentType.JSON).body(Map.of("prompts", prompts)).post("/api/prompts").then()
                .statusCode(200).body("$", hasSize(21));
        int version = given().contentType(ContentType.JSON).body(Map.of("prompts", prompts)).post("/api/prompts")
                .then().statusCode(200).body("outcome", everyItem(is("unchanged"))).extract().path("[0].version");

        var changed = new io.apexaudition.core.PromptSpec(prompts.get(0).id(), prompts.get(0).title(),
                prompts.get(0).genre(), prompts.get(0).text() + " Use present tense.", prompts.get(0).sharedContext());
        given().contentType(ContentType.JSON).body(Map.of("prompts", List.of(changed))).post("/api/prompts").then()
                .statusCode(200).body("[0].outcome", is("registered")).body("[0].version", is(version + 1));
    }
}
