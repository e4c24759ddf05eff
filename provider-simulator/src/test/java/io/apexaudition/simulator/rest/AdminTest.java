package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.chat;
import static io.apexaudition.simulator.rest.Sim.claude;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static io.apexaudition.simulator.rest.Sim.openAiLine;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
class AdminTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void shouldRecordEveryAcceptedRequestInTheLedger() {
        // given two synchronous successes, one synchronous refusal and two batches with one refused request each
        ObjectNode gpt = chat("gpt-4o", "{\"temperature\":0.6}");
        ObjectNode sonnet = claude("claude-sonnet-4-5", "{\"max_tokens\":6000}");
        openAi().body(gpt.toString()).post("/v1/chat/completions").then().statusCode(200);
        anthropic().body(sonnet.toString()).post("/v1/messages").then().statusCode(200);
        openAi().body(chat("o3", "{\"temperature\":1}").toString()).post("/v1/chat/completions").then().statusCode(400);
        String openAiBatch = Sim.openAiBatch(openAiLine("oa-ok", gpt),
                openAiLine("oa-bad", chat("gpt-4o", "{\"temperature\":3}")));
        String anthropicBatch = Sim.anthropicBatch(Sim.anthropicRequest("an-ok", sonnet),
                Sim.anthropicRequest("an-bad", claude("claude-sonnet-4-5", "{\"max_tokens\":6000,\"temperature\":2}")));

        // when
        JsonNode ledger = Sim.ledger();

        // then only the four billable requests are there, each with what was sent
        assertThat(ledger).hasSize(4);
        Map<String, JsonNode> byKey = StreamSupport.stream(ledger.spliterator(), false).collect(Collectors.toMap(
                e -> e.path("provider").asText() + ":" + e.path("endpoint").asText(), Function.identity()));
        JsonNode syncOpenAi = byKey.get("openai:/v1/chat/completions");
        assertThat(syncOpenAi.path("batchId").isNull()).isTrue();
        assertThat(syncOpenAi.path("customId").isNull()).isTrue();
        assertThat(syncOpenAi.path("model").asText()).isEqualTo("gpt-4o");
        assertThat(syncOpenAi.path("body")).isEqualTo(gpt);
        assertThat(syncOpenAi.at("/usage/prompt_tokens").asInt()).isPositive();
        assertThat(Instant.parse(syncOpenAi.path("time").asText())).isBefore(Instant.now().plusSeconds(5));
        JsonNode syncAnthropic = byKey.get("anthropic:/v1/messages");
        assertThat(syncAnthropic.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(syncAnthropic.path("body")).isEqualTo(sonnet);
        JsonNode batchOpenAi = byKey.get("openai:batch");
        assertThat(batchOpenAi.path("batchId").asText()).isEqualTo(openAiBatch);
        assertThat(batchOpenAi.path("customId").asText()).isEqualTo("oa-ok");
        assertThat(batchOpenAi.path("body")).isEqualTo(gpt);
        JsonNode batchAnthropic = byKey.get("anthropic:batch");
        assertThat(batchAnthropic.path("batchId").asText()).isEqualTo(anthropicBatch);
        assertThat(batchAnthropic.path("customId").asText()).isEqualTo("an-ok");
        assertThat(batchAnthropic.path("model").asText()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void shouldNotBillABatchBeforeItDeliversTheRequest() {
        Sim.config("{\"phases\":{\"in-progress\":\"PT1H\"}}");
        Sim.anthropicBatch(Sim.anthropicRequest("a", claude("claude-sonnet-4-5", "{\"max_tokens\":6000}")));

        assertThat(Sim.ledger()).isEmpty();
        Sim.advance("PT1H");
        assertThat(Sim.ledger()).hasSize(1);
    }

    @Test
    void shouldListEveryBatchCreated() {
        Sim.config("{\"phases\":{\"in-progress\":\"PT1H\"}}");
        String openAiBatch = Sim.openAiBatch(openAiLine("a", chat("gpt-4o", "{}")), openAiLine("b", chat("gpt-4o", "{}")));
        String anthropicBatch = Sim.anthropicBatch(Sim.anthropicRequest("a",
                claude("claude-sonnet-4-5", "{\"max_tokens\":100}")));

        JsonNode batches = Sim.obj("{\"b\":" + given().get("/_sim/batches").then().statusCode(200).extract().asString()
                + "}").get("b");

        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).path("provider").asText()).isEqualTo("openai");
        assertThat(batches.get(0).path("id").asText()).isEqualTo(openAiBatch);
        assertThat(batches.get(0).path("status").asText()).isEqualTo("in_progress");
        assertThat(batches.get(0).path("requestCount").asInt()).isEqualTo(2);
        assertThat(batches.get(0).path("createdAt").asText()).isNotBlank();
        assertThat(batches.get(1).path("provider").asText()).isEqualTo("anthropic");
        assertThat(batches.get(1).path("id").asText()).isEqualTo(anthropicBatch);
    }

    @Test
    void shouldApplyPartialConfigUpdatesAndReturnTheEffectiveConfig() {
        given().contentType("application/json").body("{\"phases\":{\"in-progress\":\"PT2M\"},"
                        + "\"faults\":{\"endpoints\":{\"anthropic.batches.results\":{\"slow\":0.25}}}}")
                .post("/_sim/config").then().statusCode(200)
                .body("phases.in-progress", is("PT2M"))
                .body("phases.validating", is("PT0S"))
                .body("faults.endpoints.'anthropic.batches.results'.slow", is(0.25f))
                .body("faults.endpoints.'openai.chat'.rate-limit", is(0.0f));

        given().get("/_sim/config").then().statusCode(200).body("phases.in-progress", is("PT2M"));
        given().contentType("application/json").body("{\"phases\":{\"in-progres\":\"PT2M\"}}")
                .post("/_sim/config").then().statusCode(400).body("error", containsString("in-progres"));
    }

    @Test
    void shouldResetBatchesFilesLedgerCacheConfigAndClock() {
        // given some state
        Sim.config("{\"output-size-chars\":2000}");
        String batch = Sim.openAiBatch(openAiLine("a", chat("gpt-4o", "{}")));
        Sim.advance("PT5M");

        // when
        Sim.reset();

        // then
        openAi().get("/v1/batches/" + batch).then().statusCode(404);
        assertThat(Sim.ledger()).isEmpty();
        given().get("/_sim/batches").then().statusCode(200).body("size()", is(0));
        given().get("/_sim/config").then().body("output-size-chars", is(0));
        given().get("/_sim/clock").then().body("offset", is("PT0S"));
    }

    @Test
    void shouldAdvanceTheSimulatedClock() {
        Instant before = Instant.parse(given().get("/_sim/clock").then().statusCode(200).extract().path("now"));

        given().contentType("application/json").body("{\"by\":\"PT3H\"}").post("/_sim/clock/advance").then()
                .statusCode(200).body("offset", is("PT3H"));

        Instant after = Instant.parse(given().get("/_sim/clock").then().extract().path("now"));
        assertThat(after).isAfterOrEqualTo(before.plusSeconds(3 * 3600));
        given().queryParam("by", "-PT1H").post("/_sim/clock/advance").then().statusCode(400);
    }

    @Test
    void shouldBeReadyAndLive() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }
}
