package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.apexaudition.simulator.rest.Sim.advance;
import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.anthropicBatch;
import static io.apexaudition.simulator.rest.Sim.anthropicBatchGet;
import static io.apexaudition.simulator.rest.Sim.anthropicRequest;
import static io.apexaudition.simulator.rest.Sim.anthropicResults;
import static io.apexaudition.simulator.rest.Sim.claude;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
class AnthropicBatchesTest {
    private static final String SONNET_STD = "{\"max_tokens\":6000,\"temperature\":0.8}";

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    private static Map<String, JsonNode> byCustomId(List<JsonNode> results) {
        return results.stream().collect(Collectors.toMap(r -> r.path("custom_id").asText(), Function.identity()));
    }

    @Test
    void shouldReportAnInvalidClaudeRequestOnlyAsErroredAfterTheBatchEndedWhileTheSameRequestSynchronouslyIs400() {
        // given the seed's sonnet.t0-8.ext lane as written: temperature 0.8 with extended thinking
        Sim.config("{\"phases\":{\"in-progress\":\"PT1H\"}}");
        ObjectNode invalid = claude("claude-sonnet-4-5",
                "{\"max_tokens\":38000,\"temperature\":0.8,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}");
        ObjectNode valid = claude("claude-sonnet-4-5", SONNET_STD);

        // when it is submitted in a batch, the batch is accepted without complaint
        JsonNode created = Sim.obj(anthropic().body("{\"requests\":[" + anthropicRequest("g1-bad", invalid) + ","
                        + anthropicRequest("g1-ok", valid) + "]}").post("/v1/messages/batches")
                .then().statusCode(200).extract().asString());
        String id = created.path("id").asText();
        assertThat(created.path("processing_status").asText()).isEqualTo("in_progress");
        assertThat(created.at("/request_counts/processing").asInt()).isEqualTo(2);
        assertThat(created.at("/request_counts/errored").asInt()).isZero();
        assertThat(created.path("results_url").isNull()).isTrue();
        anthropic().get("/v1/messages/batches/" + id + "/results").then().statusCode(404)
                .body("type", is("error")).body("error.type", is("not_found_error"));

        // then only once the batch has ended does the request show as errored
        advance("PT1H");
        JsonNode ended = anthropicBatchGet(id);
        assertThat(ended.path("processing_status").asText()).isEqualTo("ended");
        assertThat(ended.at("/request_counts/errored").asInt()).isEqualTo(1);
        assertThat(ended.at("/request_counts/succeeded").asInt()).isEqualTo(1);
        Map<String, JsonNode> results = byCustomId(anthropicResults(id));
        JsonNode errored = results.get("g1-bad").path("result");
        assertThat(errored.path("type").asText()).isEqualTo("errored");
        assertThat(errored.at("/error/type").asText()).isEqualTo("error");
        assertThat(errored.at("/error/error/type").asText()).isEqualTo("invalid_request_error");
        String batchMessage = errored.at("/error/error/message").asText();
        assertThat(batchMessage).contains("`temperature` may only be set to 1 when thinking is enabled");
        assertThat(results.get("g1-ok").at("/result/type").asText()).isEqualTo("succeeded");

        // while the very same params sent synchronously are a 400 at once, with the same message
        anthropic().body(invalid.toString()).post("/v1/messages").then()
                .statusCode(400)
                .body("type", is("error"))
                .body("error.type", is("invalid_request_error"))
                .body("error.message", is(batchMessage));
        assertThat(Sim.ledger()).extracting(e -> e.path("customId").asText()).containsExactly("g1-ok");
    }

    @Test
    void shouldRefuseABatchCreateNotSentAsJsonAndCreateNothing() {
        // given a well-formed create body
        ObjectNode body = Sim.JSON.createObjectNode();
        body.putArray("requests").add(anthropicRequest("a", claude("claude-sonnet-4-5", SONNET_STD)));

        // when it is sent without a content type, and as text, then each is refused naming the header
        for (String type : new String[] {null, "text/plain", "application/jsonl"}) {
            var request = given().header("x-api-key", Sim.ANTHROPIC_KEY).header("anthropic-version", "2023-06-01");
            (type == null ? request.noContentType() : request.contentType(type)).body(body.toString().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)).post("/v1/messages/batches").then().statusCode(400)
                    .body("error.type", is("invalid_request_error")).body("error.message", containsString("content-type"));
        }
        // and no batch exists, while the same body as JSON is created
        given().header("x-api-key", Sim.ANTHROPIC_KEY).header("anthropic-version", "2023-06-01").get("/v1/messages/batches")
                .then().statusCode(200).body("data.size()", is(0));
        assertThat(anthropic().body(body.toString()).post("/v1/messages/batches").then().statusCode(200)
                .extract().<String>path("id")).startsWith("msgbatch_");
    }

    @Test
    void shouldEndABatchWithSucceededMessagesAndAnAbsoluteResultsUrl() {
        // given
        String id = anthropicBatch(anthropicRequest("a", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("b", claude("claude-opus-4-1",
                        "{\"max_tokens\":30000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":24000}}")));

        // when
        JsonNode batch = anthropicBatchGet(id);

        // then
        assertThat(id).startsWith("msgbatch_");
        assertThat(batch.path("type").asText()).isEqualTo("message_batch");
        assertThat(batch.path("processing_status").asText()).isEqualTo("ended");
        assertThat(batch.at("/request_counts/processing").asInt()).isZero();
        assertThat(batch.at("/request_counts/succeeded").asInt()).isEqualTo(2);
        Instant created = Instant.parse(batch.path("created_at").asText());
        assertThat(Instant.parse(batch.path("expires_at").asText())).isEqualTo(created.plusSeconds(86_400));
        assertThat(Instant.parse(batch.path("ended_at").asText())).isEqualTo(created);
        assertThat(batch.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z");
        assertThat(batch.path("cancel_initiated_at").isNull()).isTrue();
        String resultsUrl = batch.path("results_url").asText();
        assertThat(resultsUrl).startsWith("http://").endsWith("/v1/messages/batches/" + id + "/results");
        String body = given().header("x-api-key", Sim.ANTHROPIC_KEY).header("anthropic-version", "2023-06-01")
                .accept("application/json").get(resultsUrl).then().statusCode(200).extract().asString();
        Map<String, JsonNode> results = byCustomId(Sim.jsonl(body));
        JsonNode message = results.get("b").at("/result/message");
        assertThat(results.get("b").at("/result/type").asText()).isEqualTo("succeeded");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("model").asText()).isEqualTo("claude-opus-4-1");
        assertThat(message.at("/content/0/type").asText()).isEqualTo("thinking");
        assertThat(message.at("/content/1/type").asText()).isEqualTo("text");
        assertThat(results.get("a").at("/result/message/content/0/type").asText()).isEqualTo("text");
    }

    @Test
    void shouldCountRequestsAsTheyFinishWhileInProgress() {
        Sim.config("{\"phases\":{\"in-progress\":\"PT4M\"}}");
        String id = anthropicBatch(anthropicRequest("a", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("b", claude("claude-sonnet-4-5", "{\"max_tokens\":6000,\"temperature\":1.5}")),
                anthropicRequest("c", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("d", claude("claude-sonnet-4-5", SONNET_STD)));

        advance("PT2M");
        JsonNode halfway = anthropicBatchGet(id);

        assertThat(halfway.path("processing_status").asText()).isEqualTo("in_progress");
        assertThat(halfway.at("/request_counts/processing").asInt()).isEqualTo(2);
        assertThat(halfway.at("/request_counts/succeeded").asInt()).isEqualTo(1);
        assertThat(halfway.at("/request_counts/errored").asInt()).isEqualTo(1);
    }

    @Test
    void shouldErrorAnInvalidCustomIdAndStreamOnlyAfterTheBatchEnded() {
        Sim.config("{\"phases\":{\"in-progress\":\"PT1M\"}}");
        String id = anthropicBatch(anthropicRequest("g1.a1:bad", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("streamed", claude("claude-sonnet-4-5", "{\"max_tokens\":600,\"stream\":true}")));
        assertThat(anthropicBatchGet(id).at("/request_counts/errored").asInt()).isZero();

        advance("PT1M");
        Map<String, JsonNode> results = byCustomId(anthropicResults(id));

        assertThat(results.get("g1.a1:bad").at("/result/error/error/message").asText()).contains("custom_id");
        assertThat(results.get("streamed").at("/result/error/error/message").asText()).contains("stream");
        assertThat(results.values()).allSatisfy(r -> assertThat(r.at("/result/type").asText()).isEqualTo("errored"));
    }

    @Test
    void shouldCancelABatch() {
        // given four requests over four minutes, one minute of wind-down
        Sim.config("{\"phases\":{\"in-progress\":\"PT4M\",\"finalizing\":\"PT1M\"}}");
        String id = anthropicBatch(anthropicRequest("a", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("b", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("c", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("d", claude("claude-sonnet-4-5", SONNET_STD)));
        advance("PT1M");

        // when
        JsonNode canceling = Sim.obj(anthropic().post("/v1/messages/batches/" + id + "/cancel").then().statusCode(200)
                .extract().asString());

        // then
        assertThat(canceling.path("processing_status").asText()).isEqualTo("canceling");
        assertThat(canceling.path("cancel_initiated_at").isNull()).isFalse();
        assertThat(canceling.path("results_url").isNull()).isTrue();
        advance("PT1M");
        JsonNode ended = anthropicBatchGet(id);
        assertThat(ended.path("processing_status").asText()).isEqualTo("ended");
        assertThat(ended.at("/request_counts/succeeded").asInt()).isEqualTo(1);
        assertThat(ended.at("/request_counts/canceled").asInt()).isEqualTo(3);
        Map<String, JsonNode> results = byCustomId(anthropicResults(id));
        assertThat(results.get("a").at("/result/type").asText()).isEqualTo("succeeded");
        assertThat(List.of("b", "c", "d")).allSatisfy(c ->
                assertThat(results.get(c).at("/result/type").asText()).isEqualTo("canceled"));
        anthropic().post("/v1/messages/batches/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void shouldExpireABatchWithPartialResults() {
        Sim.config("{\"phases\":{\"in-progress\":\"PT2H\"},"
                + "\"faults\":{\"batch-expire\":1.0,\"batch-expire-completed-fraction\":0.25}}");
        String id = anthropicBatch(anthropicRequest("a", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("b", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("c", claude("claude-sonnet-4-5", SONNET_STD)),
                anthropicRequest("d", claude("claude-sonnet-4-5", SONNET_STD)));

        advance("PT2H");
        JsonNode ended = anthropicBatchGet(id);

        assertThat(ended.path("processing_status").asText()).isEqualTo("ended");
        assertThat(ended.at("/request_counts/succeeded").asInt()).isEqualTo(1);
        assertThat(ended.at("/request_counts/expired").asInt()).isEqualTo(3);
        List<JsonNode> results = anthropicResults(id);
        assertThat(results).extracting(r -> r.at("/result/type").asText())
                .containsExactlyInAnyOrder("succeeded", "expired", "expired", "expired");
        assertThat(Sim.ledger()).hasSize(1);
    }

    @Test
    void shouldRefuseAMalformedBatchAtSubmission() {
        ObjectNode params = claude("claude-sonnet-4-5", SONNET_STD);
        anthropic().body("{\"requests\":[" + anthropicRequest("same", params) + "," + anthropicRequest("same", params)
                        + "]}").post("/v1/messages/batches").then().statusCode(400)
                .body("error.type", is("invalid_request_error")).body("error.message", containsString("same"));
        anthropic().body("{\"requests\":[]}").post("/v1/messages/batches").then().statusCode(400)
                .body("error.message", containsString("requests"));
        anthropic().body("{\"requests\":[{\"custom_id\":\"x\"}]}").post("/v1/messages/batches").then().statusCode(400)
                .body("error.message", containsString("params"));
    }

    @Test
    void shouldListBatchesNewestFirstInPages() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(anthropicBatch(anthropicRequest("a", claude("claude-sonnet-4-5", SONNET_STD))));
        }

        JsonNode page1 = Sim.obj(anthropic().queryParam("limit", 2).get("/v1/messages/batches").then()
                .statusCode(200).extract().asString());
        JsonNode page2 = Sim.obj(anthropic().queryParam("limit", 2).queryParam("after_id", page1.path("last_id").asText())
                .get("/v1/messages/batches").then().statusCode(200).extract().asString());

        assertThat(page1.path("data")).extracting(b -> b.path("id").asText())
                .containsExactly(created.get(2), created.get(1));
        assertThat(page1.path("has_more").asBoolean()).isTrue();
        assertThat(page1.path("first_id").asText()).isEqualTo(created.get(2));
        assertThat(page2.path("data")).extracting(b -> b.path("id").asText()).containsExactly(created.get(0));
        assertThat(page2.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void shouldAnswer404ForAnUnknownBatch() {
        anthropic().get("/v1/messages/batches/msgbatch_nope").then().statusCode(404)
                .body("type", is("error")).body("error.type", is("not_found_error"));
    }

    @Test
    void shouldAnswer401WithoutTheApiKey() {
        given().header("anthropic-version", "2023-06-01").get("/v1/messages/batches").then().statusCode(401)
                .body("error.type", is("authentication_error"));
        given().header("x-api-key", "nope").header("anthropic-version", "2023-06-01").contentType("application/json")
                .body("{\"requests\":[]}").post("/v1/messages/batches").then().statusCode(401);
    }
}
