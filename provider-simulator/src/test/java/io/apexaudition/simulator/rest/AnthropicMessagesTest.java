package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.claude;
import static io.apexaudition.simulator.rest.Sim.obj;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class AnthropicMessagesTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    private static JsonNode message(ObjectNode params) {
        return obj(anthropic().body(params.toString()).post("/v1/messages").then().statusCode(200)
                .extract().asString());
    }

    private static void rejected(ObjectNode params, int status, String type, String messagePart) {
        anthropic().body(params.toString()).post("/v1/messages").then()
                .statusCode(status)
                .body("type", is("error"))
                .body("error.type", is(type))
                .body("error.message", containsString(messagePart));
    }

    @Test
    void shouldAnswerAMessageWithDeterministicTextAndUsage() {
        ObjectNode params = claude("claude-sonnet-4-5", "{\"max_tokens\":6000,\"temperature\":0.8}");

        JsonNode first = message(params);
        JsonNode second = message(params);

        assertThat(first.path("id").asText()).startsWith("msg_");
        assertThat(first.path("type").asText()).isEqualTo("message");
        assertThat(first.path("role").asText()).isEqualTo("assistant");
        assertThat(first.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(first.path("content")).hasSize(1);
        assertThat(first.at("/content/0/type").asText()).isEqualTo("text");
        String text = first.at("/content/0/text").asText();
        assertThat(text).isEqualTo(second.at("/content/0/text").asText());
        assertThat(first.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(first.path("stop_sequence").isNull()).isTrue();
        JsonNode usage = first.path("usage");
        assertThat(usage.path("input_tokens").asInt()).isEqualTo(("Write a short poem about rain.".length() + 3) / 4);
        assertThat(usage.path("output_tokens").asInt()).isEqualTo((text.length() + 3) / 4);
        assertThat(usage.path("cache_creation_input_tokens").asInt()).isZero();
        assertThat(usage.path("cache_read_input_tokens").asInt()).isZero();
    }

    @Test
    void shouldAddAThinkingBlockAndCountThinkingTokensAsOutput() {
        ObjectNode params = claude("claude-opus-4-1",
                "{\"max_tokens\":30000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":24000}}");

        JsonNode reply = message(params);

        assertThat(reply.at("/content/0/type").asText()).isEqualTo("thinking");
        assertThat(reply.at("/content/0/thinking").asText()).isNotBlank();
        assertThat(reply.at("/content/0/signature").asText()).isNotBlank();
        assertThat(reply.at("/content/1/type").asText()).isEqualTo("text");
        int visible = (reply.at("/content/1/text").asText().length() + 3) / 4;
        int thinking = reply.at("/usage/output_tokens").asInt() - visible;
        assertThat(thinking).isBetween(24000 / 5, 24000);
        assertThat(reply.path("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void shouldStopAtMaxTokensWhenTheBudgetIsSmallerThanTheText() {
        JsonNode reply = message(claude("claude-sonnet-4-5", "{\"max_tokens\":40}"));

        assertThat(reply.path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(reply.at("/usage/output_tokens").asInt()).isEqualTo(40);
    }

    @Test
    void shouldRejectATemperatureOtherThanOneWithThinking() {
        rejected(claude("claude-sonnet-4-5",
                        "{\"max_tokens\":38000,\"temperature\":0.8,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}"),
                400, "invalid_request_error", "`temperature` may only be set to 1 when thinking is enabled");
        message(claude("claude-sonnet-4-5",
                "{\"max_tokens\":38000,\"temperature\":1,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}"));
    }

    @Test
    void shouldRejectTemperatureAboveOne() {
        rejected(claude("claude-sonnet-4-5", "{\"max_tokens\":6000,\"temperature\":1.1}"),
                400, "invalid_request_error", "temperature: Input should be less than or equal to 1");
    }

    @Test
    void shouldRejectMaxTokensAboveTheModelsCap() {
        rejected(claude("claude-opus-4-1",
                        "{\"max_tokens\":38000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}"),
                400, "invalid_request_error", "max_tokens: 38000 > 32000");
        message(claude("claude-sonnet-4-5", "{\"max_tokens\":64000}"));
        rejected(claude("claude-sonnet-4-5", "{\"max_tokens\":64001}"), 400, "invalid_request_error", "> 64000");
    }

    @Test
    void shouldRejectAThinkingBudgetBelow1024OrNotBelowMaxTokens() {
        rejected(claude("claude-sonnet-4-5", "{\"max_tokens\":6000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512}}"),
                400, "invalid_request_error", "budget_tokens: Input should be greater than or equal to 1024");
        rejected(claude("claude-sonnet-4-5", "{\"max_tokens\":6000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":6000}}"),
                400, "invalid_request_error", "`max_tokens` must be greater than `thinking.budget_tokens`");
    }

    @Test
    void shouldRejectTemperatureTogetherWithTopPOnOpusOnly() {
        rejected(claude("claude-opus-4-1", "{\"max_tokens\":6000,\"temperature\":0.8,\"top_p\":0.9}"),
                400, "invalid_request_error", "`temperature` and `top_p` cannot both be specified");
        message(claude("claude-sonnet-4-5", "{\"max_tokens\":6000,\"temperature\":0.8,\"top_p\":0.9}"));
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownModel() {
        rejected(claude("claude-unknown-9", "{\"max_tokens\":100}"), 404, "not_found_error", "claude-unknown-9");
    }

    @Test
    void shouldRequireMaxTokens() {
        rejected(claude("claude-sonnet-4-5", "{}"), 400, "invalid_request_error", "max_tokens: Field required");
    }

    @Test
    void shouldAnswer401WithoutTheApiKey() {
        given().header("anthropic-version", "2023-06-01").contentType("application/json")
                .body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString()).post("/v1/messages").then()
                .statusCode(401).body("type", is("error")).body("error.type", is("authentication_error"));
        given().header("x-api-key", "wrong").header("anthropic-version", "2023-06-01").contentType("application/json")
                .body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString()).post("/v1/messages").then()
                .statusCode(401).body("error.type", is("authentication_error"));
        assertThat(Sim.ledger()).isEmpty();
    }

    @Test
    void shouldAnswer400WithoutTheAnthropicVersionHeader() {
        given().header("x-api-key", Sim.ANTHROPIC_KEY).contentType("application/json")
                .body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString()).post("/v1/messages").then()
                .statusCode(400).body("error.type", is("invalid_request_error"))
                .body("error.message", containsString("anthropic-version"));
    }

    @Test
    void shouldReadCachedTokensTheSecondTimeACacheControlledSystemBlockIsSent() {
        // given two prompts behind the same long system block marked for caching
        ObjectNode first = obj("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":6000}");
        first.putArray("system").add(obj("{\"type\":\"text\",\"cache_control\":{\"type\":\"ephemeral\"}}")
                .put("text", Sim.LONG_CONTEXT));
        first.putArray("messages").add(obj("{\"role\":\"user\",\"content\":\"Write about a bell.\"}"));
        ObjectNode second = first.deepCopy();
        ((ObjectNode) second.at("/messages/0")).put("content", "Write about a kite, briefly.");
        int prefix = (Sim.LONG_CONTEXT.length() + 3) / 4;

        // when
        JsonNode cold = message(first).path("usage");
        JsonNode warm = message(second).path("usage");

        // then the first writes the prefix, the second reads it; input_tokens is only what follows it
        assertThat(cold.path("cache_creation_input_tokens").asInt()).isEqualTo(prefix);
        assertThat(cold.path("cache_read_input_tokens").asInt()).isZero();
        assertThat(warm.path("cache_creation_input_tokens").asInt()).isZero();
        assertThat(warm.path("cache_read_input_tokens").asInt()).isEqualTo(prefix);
        int total = (Sim.LONG_CONTEXT.length() + "Write about a kite, briefly.".length() + 3) / 4;
        assertThat(warm.path("input_tokens").asInt() + warm.path("cache_read_input_tokens").asInt()).isEqualTo(total);
    }

    @Test
    void shouldReportNoCacheTokensWithoutCacheControl() {
        ObjectNode params = obj("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":6000}");
        params.put("system", Sim.LONG_CONTEXT);
        params.putArray("messages").add(obj("{\"role\":\"user\",\"content\":\"Write about a bell.\"}"));

        message(params);
        JsonNode again = message(params).path("usage");

        assertThat(again.path("cache_creation_input_tokens").asInt()).isZero();
        assertThat(again.path("cache_read_input_tokens").asInt()).isZero();
        assertThat(again.path("input_tokens").asInt())
                .isEqualTo((Sim.LONG_CONTEXT.length() + "Write about a bell.".length() + 3) / 4);
    }

    @Test
    void shouldAnswerWithAnAnthropicRequestIdHeader() {
        anthropic().body(claude("claude-sonnet-4-5", "{\"max_tokens\":100}").toString()).post("/v1/messages").then()
                .statusCode(200).header("request-id", startsWith("req_"));
    }
}
