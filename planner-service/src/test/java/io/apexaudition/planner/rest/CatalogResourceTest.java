package io.apexaudition.planner.rest;

import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.PromptLibrary;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class CatalogResourceTest {
    static final Path CONFIG = Path.of("..", "config");
    /** The planner's token in the test profile (application.properties). */
    static final String TOKEN = "test-admin-token";
    static final String ONE_LANE = "{\"lanes\":[{\"slug\":\"it.auth\",\"model\":\"gpt-4o\",\"temperature\":0.6,"
            + "\"maxTokens\":6000}]}";

    /** A JSON request carrying the admin token. */
    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void shouldRegisterTheShippedLanesOnceAndTreatARepeatAsANoOp() {
        var lanes = Map.of("lanes", LaneConfig.load(CONFIG.resolve("creative_benchmark.yaml")).lanes());
        admin().body(lanes).post("/api/lanes").then().statusCode(200).body("$", hasSize(15));

        admin().body(lanes).post("/api/lanes").then().statusCode(200)
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
        String first = admin().body(v1).post("/api/lanes").then().statusCode(200)
                .body("[0].outcome", is("registered")).body("[0].version", is(1)).extract().path("[0].conditionId");

        String second = admin().body(v2).post("/api/lanes").then().statusCode(200)
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

        admin().body(seed).post("/api/lanes").then().statusCode(422)
                .body("problems.slug", hasItems("seed-sonnet.t0-8.ext", "seed-sonnet.t1-1.ext", "seed-opus.t1-0.ext",
                        "seed-opus.t1-2.ext"));
        given().get("/api/lanes").then().body("findAll { it.slug.startsWith('seed-') }", hasSize(0));
    }

    @Test
    void shouldIngestPromptsOnceAndVersionChangedContent() {
        var prompts = PromptLibrary.load(CONFIG.resolve("prompts"));
        admin().body(Map.of("prompts", prompts)).post("/api/prompts").then()
                .statusCode(200).body("$", hasSize(21));
        int version = admin().body(Map.of("prompts", prompts)).post("/api/prompts")
                .then().statusCode(200).body("outcome", everyItem(is("unchanged"))).extract().path("[0].version");

        var changed = new io.apexaudition.core.PromptSpec(prompts.get(0).id(), prompts.get(0).title(),
                prompts.get(0).genre(), prompts.get(0).text() + " Use present tense.", prompts.get(0).sharedContext());
        admin().body(Map.of("prompts", List.of(changed))).post("/api/prompts").then()
                .statusCode(200).body("[0].outcome", is("registered")).body("[0].version", is(version + 1));
    }

    @Test
    void shouldRefuseRegistrationWithoutTheAdminTokenNamingTheVariable() {
        given().contentType(ContentType.JSON).body(ONE_LANE).post("/api/lanes").then().statusCode(401)
                .body("error", containsString("APEX_ADMIN_TOKEN")).body("error", containsString("Authorization"));
        given().contentType(ContentType.JSON).body(Map.of("prompts", List.of())).post("/api/prompts").then()
                .statusCode(401);

        given().get("/api/lanes").then().statusCode(200).body("findAll { it.slug == 'it.auth' }", hasSize(0));
    }

    @Test
    void shouldRefuseAWrongAdminTokenBeforeReadingTheBodyWithoutEchoingOrLoggingEitherToken() {
        String wrong = "wrong-token-" + TOKEN;
        List<String> logged;
        try (LogCapture logs = LogCapture.start()) {
            // when a wrong token comes with a lane, and with a body that is not even JSON
            given().header("Authorization", "Bearer " + wrong).contentType(ContentType.JSON).body(ONE_LANE)
                    .post("/api/lanes").then().statusCode(401).body("error", containsString("wrong"))
                    .body(not(containsString(TOKEN)));
            given().header("Authorization", "Bearer " + wrong).contentType(ContentType.JSON).body("{not json")
                    .post("/api/prompts").then().statusCode(401);
            logged = logs.lines();
        }

        // then nothing was registered and neither token reached a log
        given().get("/api/lanes").then().body("findAll { it.slug == 'it.auth' }", hasSize(0));
        assertThat(logged).noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void shouldRefusePromptTextThatPostgresCouldNotStoreNamingTheField() {
        String prompts = "{\"prompts\":[{\"id\":\"it-nul\",\"title\":\"NUL\",\"text\":\"before\\u0000after\"},"
                + "{\"id\":\"it-surrogate\",\"title\":\"half\",\"text\":\"half \\uD83C here\"}]}";

        admin().body(prompts).post("/api/prompts").then().statusCode(400)
                .body("error", containsString("prompts[0].text holds the control character U+0000 (NUL)"))
                .body("error", containsString("prompts[1].text holds a lone UTF-16 surrogate"))
                .body("error", containsString("nothing was ingested"));
        given().get("/api/prompts").then().body("findAll { it.promptId.startsWith('it-') }", hasSize(0));
    }

    @Test
    void shouldRefuseALaneDescriptionWithAControlCharacterNamingTheField() {
        String lane = ONE_LANE.replace("\"maxTokens\"", "\"description\":\"bell\\u0007\",\"maxTokens\"");

        admin().body(lane).post("/api/lanes").then().statusCode(400)
                .body("error", containsString("lanes[0].description holds the control character U+0007"));
    }
}
