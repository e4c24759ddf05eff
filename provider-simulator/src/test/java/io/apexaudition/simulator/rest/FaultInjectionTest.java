package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.chat;
import static io.apexaudition.simulator.rest.Sim.claude;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static io.apexaudition.simulator.rest.Sim.openAiLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

@QuarkusTest
class FaultInjectionTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    private static int count429(int calls) {
        int limited = 0;
        for (int i = 0; i < calls; i++) {
            Response r = openAi().get("/v1/batches?limit=1");
            if (r.statusCode() == 429) {
                limited++;
                assertThat(r.header("retry-after")).isEqualTo("3");
                assertThat(r.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        return limited;
    }

    @Test
    void shouldInjectRateLimitsAtAboutTheConfiguredRate() {
        Sim.config("{\"faults\":{\"retry-after-seconds\":3,\"endpoints\":{\"openai.batches.list\":{\"rate-limit\":0.3}}}}");

        assertThat(count429(1000)).isBetween(240, 360);
    }

    @Test
    void shouldInjectNoRateLimitsAtRateZero() {
        assertThat(count429(300)).isZero();
    }

    @Test
    void shouldLimitOnlyTheConfiguredEndpoint() {
        Sim.config("{\"faults\":{\"endpoints\":{\"openai.chat\":{\"rate-limit\":1.0}}}}");

        openAi().body(chat("gpt-4o", "{}").toString()).post("/v1/chat/completions").then().statusCode(429)
                .header("retry-after", "1");
        openAi().get("/v1/batches").then().statusCode(200);
        anthropic().body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString()).post("/v1/messages")
                .then().statusCode(200);
    }

    @Test
    void shouldAnswerAnthropicRateLimitsInAnthropicsShape() {
        Sim.config("{\"faults\":{\"endpoints\":{\"anthropic.messages\":{\"rate-limit\":1.0}}}}");

        anthropic().body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString()).post("/v1/messages").then()
                .statusCode(429).header("retry-after", "1")
                .body("type", is("error")).body("error.type", is("rate_limit_error"));
    }

    @Test
    void shouldAnswer500InEachProvidersShape() {
        Sim.config("{\"faults\":{\"endpoints\":{\"openai.chat\":{\"server-error\":1.0},"
                + "\"anthropic.batches.get\":{\"server-error\":1.0}}}}");

        openAi().body(chat("gpt-4o", "{}").toString()).post("/v1/chat/completions").then()
                .statusCode(500).body("error.type", is("server_error"));
        anthropic().get("/v1/messages/batches/msgbatch_any").then()
                .statusCode(500).body("type", is("error")).body("error.type", is("api_error"));
        assertThat(Sim.ledger()).isEmpty();
    }

    @Test
    void shouldHoldATimedOutRequestThenAnswer504() {
        Sim.config("{\"faults\":{\"timeout-hold\":\"PT0.4S\",\"endpoints\":{\"anthropic.messages\":{\"timeout\":1.0}}}}");

        long start = System.nanoTime();
        anthropic().body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString()).post("/v1/messages").then()
                .statusCode(504).body("error.type", is("timeout_error"));

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        assertThat(Sim.ledger()).isEmpty();
    }

    @Test
    void shouldDelaySlowResponsesButStillAnswerThem() {
        Sim.config("{\"faults\":{\"slow-delay\":\"PT0.4S\",\"endpoints\":{\"openai.chat\":{\"slow\":1.0}}}}");

        long start = System.nanoTime();
        openAi().body(chat("gpt-4o", "{}").toString()).post("/v1/chat/completions").then().statusCode(200);

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        assertThat(Sim.ledger()).hasSize(1);
    }

    @Test
    void shouldFailOpenAiBatchValidationOnDemand() {
        Sim.config("{\"faults\":{\"batch-fail-validation\":1.0}}");

        JsonNode batch = Sim.openAiBatchGet(Sim.openAiBatch(openAiLine("a", chat("gpt-4o", "{}"))));

        assertThat(batch.path("status").asText()).isEqualTo("failed");
        assertThat(batch.at("/errors/data/0/message").asText()).contains("fault injection");
    }

    @Test
    void shouldTurnBatchRequestsIntoServerErrorsAtTheConfiguredRate() {
        Sim.config("{\"faults\":{\"request-error\":1.0,\"request-error-type\":\"overloaded_error\"}}");

        JsonNode openAiBatch = Sim.openAiBatchGet(Sim.openAiBatch(openAiLine("a", chat("gpt-4o", "{}"))));
        String anthropicId = Sim.anthropicBatch(Sim.anthropicRequest("a", claude("claude-sonnet-4-5",
                "{\"max_tokens\":100}")));

        assertThat(openAiBatch.path("status").asText()).isEqualTo("completed");
        assertThat(openAiBatch.path("output_file_id").isNull()).isTrue();
        List<JsonNode> errors = Sim.fileLines(openAiBatch.path("error_file_id").asText());
        assertThat(errors.get(0).at("/response/status_code").asInt()).isEqualTo(503);
        assertThat(errors.get(0).at("/response/body/error/type").asText()).isEqualTo("server_error");
        JsonNode result = Sim.anthropicResults(anthropicId).get(0).path("result");
        assertThat(result.path("type").asText()).isEqualTo("errored");
        assertThat(result.at("/error/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(Sim.ledger()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownFaultEndpointOrAnOutOfRangeRate() {
        io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"faults\":{\"endpoints\":{\"openai.chatt\":{\"rate-limit\":0.1}}}}")
                .post("/_sim/config").then().statusCode(400);
        io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"faults\":{\"endpoints\":{\"openai.chat\":{\"rate-limit\":1.5}}}}")
                .post("/_sim/config").then().statusCode(400);
        io.restassured.RestAssured.given().get("/_sim/config").then().statusCode(200)
                .body("faults.endpoints.'openai.chat'.rate-limit", is(0.0f));
    }
}
