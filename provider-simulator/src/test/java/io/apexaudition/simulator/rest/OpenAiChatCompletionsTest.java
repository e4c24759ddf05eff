package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.apexaudition.simulator.rest.Sim.chat;
import static io.apexaudition.simulator.rest.Sim.obj;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class OpenAiChatCompletionsTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    private static JsonNode complete(ObjectNode body) {
        return obj(openAi().body(body.toString()).post("/v1/chat/completions").then().statusCode(200)
                .extract().asString());
    }

    @Test
    void shouldAnswerTheSameRequestWithTheSameTextAndPlausibleUsage() {
        // given
        ObjectNode body = chat("gpt-4o", "{\"temperature\":0.8,\"max_tokens\":6000}");

        // when
        JsonNode first = complete(body);
        JsonNode second = complete(body);

        // then
        assertThat(first.path("id").asText()).startsWith("chatcmpl-");
        assertThat(first.path("object").asText()).isEqualTo("chat.completion");
        assertThat(first.path("model").asText()).isEqualTo("gpt-4o");
        JsonNode choice = first.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        String text = choice.path("message").path("content").asText();
        assertThat(text).isEqualTo(second.path("choices").get(0).path("message").path("content").asText());
        assertThat(text.split("\n")[0]).isNotBlank();
        JsonNode usage = first.path("usage");
        int promptChars = "Write a short story about a lighthouse.".length();
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo((promptChars + 3) / 4);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo((text.length() + 3) / 4).isBetween(250, 1500);
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isZero();
    }

    @Test
    void shouldGiveADifferentTextToADifferentRequest() {
        String a = complete(chat("gpt-4o", "{\"temperature\":0.6}")).at("/choices/0/message/content").asText();
        String b = complete(chat("gpt-4o", "{\"temperature\":1.0}")).at("/choices/0/message/content").asText();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldRejectTemperatureOnGpt5SynchronouslyWith400() {
        // given a GPT-5 request that carries a non-default temperature
        ObjectNode body = chat("gpt-5", "{\"temperature\":0.7,\"max_completion_tokens\":36000}");

        // when / then
        openAi().body(body.toString()).post("/v1/chat/completions").then()
                .statusCode(400)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is("unsupported_value"))
                .body("error.param", is("temperature"))
                .body("error.message", containsString("'temperature' does not support 0.7 with this model"));
        assertThat(Sim.ledger()).isEmpty();
    }

    @Test
    void shouldRejectTemperatureOnO3AsAnUnsupportedParameter() {
        openAi().body(chat("o3", "{\"temperature\":1}").toString()).post("/v1/chat/completions").then()
                .statusCode(400)
                .body("error.code", is("unsupported_parameter"))
                .body("error.param", is("temperature"))
                .body("error.message", is("Unsupported parameter: 'temperature' is not supported with this model."));
    }

    @Test
    void shouldRejectMaxTokensOnReasoningModelsPointingToMaxCompletionTokens() {
        openAi().body(chat("gpt-5", "{\"max_tokens\":4000}").toString()).post("/v1/chat/completions").then()
                .statusCode(400)
                .body("error.code", is("unsupported_parameter"))
                .body("error.param", is("max_tokens"))
                .body("error.message", containsString("Use 'max_completion_tokens' instead."));
    }

    @Test
    void shouldRejectMinimalReasoningEffortOnO3ButAcceptItOnGpt5() {
        openAi().body(chat("o3", "{\"reasoning_effort\":\"minimal\"}").toString()).post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.code", is("unsupported_value"))
                .body("error.param", is("reasoning_effort"))
                .body("error.message", containsString("Supported values are: 'low', 'medium', and 'high'."));
        openAi().body(chat("gpt-5", "{\"reasoning_effort\":\"minimal\"}").toString()).post("/v1/chat/completions")
                .then().statusCode(200);
    }

    @Test
    void shouldRejectGpt4oTemperatureAboveTwoAndMaxTokensAboveItsCap() {
        openAi().body(chat("gpt-4o", "{\"temperature\":2.5}").toString()).post("/v1/chat/completions").then()
                .statusCode(400)
                .body("error.code", is("decimal_above_max_value"))
                .body("error.message", containsString("Expected a value <= 2, but got 2.5 instead."));
        openAi().body(chat("gpt-4o", "{\"max_tokens\":20000}").toString()).post("/v1/chat/completions").then()
                .statusCode(400)
                .body("error.param", is("max_tokens"))
                .body("error.message", containsString("supports at most 16384 completion tokens"));
        openAi().body(chat("gpt-4o", "{\"reasoning_effort\":\"low\"}").toString()).post("/v1/chat/completions")
                .then().statusCode(400).body("error.code", is("unsupported_parameter"));
    }

    @Test
    void shouldAnswer404ModelNotFoundForAnUnknownModel() {
        openAi().body(chat("gpt-9", "{}").toString()).post("/v1/chat/completions").then()
                .statusCode(404)
                .body("error.code", is("model_not_found"))
                .body("error.message", containsString("gpt-9"));
    }

    @Test
    void shouldAcceptADatedSnapshotOfAKnownModel() {
        openAi().body(chat("gpt-4o-2024-08-06", "{}").toString()).post("/v1/chat/completions").then()
                .statusCode(200).body("model", is("gpt-4o-2024-08-06"));
    }

    @Test
    void shouldAnswer400ToABodyThatIsNotJson() {
        openAi().body("{not json").post("/v1/chat/completions").then()
                .statusCode(400).body("error.type", is("invalid_request_error"))
                .body("error.message", containsString("could not parse the JSON body"));
    }

    @Test
    void shouldAnswer401WithoutTheApiKey() {
        // without any key
        given().contentType("application/json").body(chat("gpt-4o", "{}").toString())
                .post("/v1/chat/completions").then()
                .statusCode(401)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is("invalid_api_key"))
                .body("error.param", nullValue());
        // with a wrong key, which must not be echoed back
        Response wrong = given().header("Authorization", "Bearer sk-wrong-key-123").contentType("application/json")
                .body(chat("gpt-4o", "{}").toString()).post("/v1/chat/completions");
        wrong.then().statusCode(401).body("error.code", is("invalid_api_key"));
        assertThat(wrong.asString()).doesNotContain("sk-wrong-key-123");
        assertThat(Sim.ledger()).isEmpty();
    }

    @Test
    void shouldScaleReasoningTokensWithEffortWithinMaxCompletionTokens() {
        JsonNode minimal = complete(chat("gpt-5", "{\"reasoning_effort\":\"minimal\",\"max_completion_tokens\":36000}"));
        JsonNode high = complete(chat("gpt-5", "{\"reasoning_effort\":\"high\",\"max_completion_tokens\":36000}"));

        int minimalReasoning = minimal.at("/usage/completion_tokens_details/reasoning_tokens").asInt();
        int highReasoning = high.at("/usage/completion_tokens_details/reasoning_tokens").asInt();
        assertThat(minimalReasoning).isBetween(1, 256);
        assertThat(highReasoning).isBetween(6144, 16384);
        for (JsonNode c : new JsonNode[]{minimal, high}) {
            int visible = (c.at("/choices/0/message/content").asText().length() + 3) / 4;
            assertThat(c.at("/usage/completion_tokens").asInt())
                    .isEqualTo(c.at("/usage/completion_tokens_details/reasoning_tokens").asInt() + visible)
                    .isLessThanOrEqualTo(36000);
        }
    }

    @Test
    void shouldStopWithLengthWhenTheBudgetIsSmallerThanTheText() {
        JsonNode standard = complete(chat("gpt-4o", "{\"max_tokens\":50}"));
        assertThat(standard.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(standard.at("/usage/completion_tokens").asInt()).isEqualTo(50);
        assertThat(standard.at("/choices/0/message/content").asText().length()).isLessThanOrEqualTo(200);

        JsonNode reasoning = complete(chat("o3", "{\"reasoning_effort\":\"high\",\"max_completion_tokens\":3000}"));
        assertThat(reasoning.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(reasoning.at("/usage/completion_tokens").asInt()).isEqualTo(3000);
        assertThat(reasoning.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(3000);
    }

    @Test
    void shouldReadCachedTokensTheSecondTimeALongSystemPromptIsSent() {
        // given two different prompts behind the same long system message
        ObjectNode first = obj("{\"model\":\"gpt-4o\"}");
        first.putArray("messages").add(obj("{\"role\":\"system\"}").put("content", Sim.LONG_CONTEXT))
                .add(obj("{\"role\":\"user\",\"content\":\"Write about a bell.\"}"));
        ObjectNode second = first.deepCopy();
        ((ObjectNode) second.get("messages").get(1)).put("content", "Write about a kite.");
        int prefixTokens = (Sim.LONG_CONTEXT.length() + 3) / 4;

        // when
        JsonNode cold = complete(first);
        JsonNode warm = complete(second);

        // then
        assertThat(cold.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
        assertThat(warm.at("/usage/prompt_tokens_details/cached_tokens").asInt())
                .isEqualTo(prefixTokens / 128 * 128).isGreaterThanOrEqualTo(1024);
        assertThat(warm.at("/usage/prompt_tokens").asInt())
                .isEqualTo((Sim.LONG_CONTEXT.length() + "Write about a kite.".length() + 3) / 4);
    }

    @Test
    void shouldNotCacheAPrefixBelow1024Tokens() {
        ObjectNode body = obj("{\"model\":\"gpt-4o\"}");
        body.putArray("messages").add(obj("{\"role\":\"system\",\"content\":\"Be brief.\"}"))
                .add(obj("{\"role\":\"user\",\"content\":\"Write about a bell.\"}"));

        complete(body);
        JsonNode again = complete(body);

        assertThat(again.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
    }

    @Test
    void shouldWriteOutputsOfAboutTheConfiguredSize() {
        Sim.config("{\"output-size-chars\":20000}");

        JsonNode big = complete(chat("gpt-4o", "{\"max_tokens\":16000}"));

        assertThat(big.at("/choices/0/message/content").asText().length()).isBetween(19_800, 20_000);
        assertThat(big.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void shouldAnswerWithAnOpenAiRequestIdHeader() {
        openAi().body(chat("gpt-4o", "{}").toString()).post("/v1/chat/completions").then()
                .statusCode(200).header("x-request-id", startsWith("req_"));
    }
}
