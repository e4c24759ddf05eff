package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.apexaudition.simulator.rest.Sim.advance;
import static io.apexaudition.simulator.rest.Sim.chat;
import static io.apexaudition.simulator.rest.Sim.fileLines;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static io.apexaudition.simulator.rest.Sim.openAiBatch;
import static io.apexaudition.simulator.rest.Sim.openAiBatchGet;
import static io.apexaudition.simulator.rest.Sim.openAiLine;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
class OpenAiBatchesTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    private static String gpt4o(String customId) {
        return openAiLine(customId, chat("gpt-4o", "{\"temperature\":0.8,\"max_tokens\":6000}"));
    }

    @Test
    void shouldStoreAnUploadedBatchFileAndServeItsContent() {
        String jsonl = gpt4o("a") + "\n";

        JsonNode file = Sim.obj(given().header("Authorization", "Bearer " + Sim.OPENAI_KEY)
                .multiPart("purpose", "batch")
                .multiPart("file", "lanes.jsonl", jsonl.getBytes(StandardCharsets.UTF_8), "application/octet-stream")
                .post("/v1/files").then().statusCode(200).extract().asString());

        assertThat(file.path("id").asText()).startsWith("file-");
        assertThat(file.path("object").asText()).isEqualTo("file");
        assertThat(file.path("bytes").asInt()).isEqualTo(jsonl.getBytes(StandardCharsets.UTF_8).length);
        assertThat(file.path("created_at").asLong()).isPositive();
        assertThat(file.path("filename").asText()).isEqualTo("lanes.jsonl");
        assertThat(file.path("purpose").asText()).isEqualTo("batch");
        assertThat(openAi().get("/v1/files/" + file.path("id").asText() + "/content").then().statusCode(200)
                .extract().asString()).isEqualTo(jsonl);
    }

    @Test
    void shouldCompleteAnOpenAiBatchThroughValidatingInProgressFinalizing() {
        // given one minute per phase
        Sim.config("{\"phases\":{\"validating\":\"PT1M\",\"in-progress\":\"PT1M\",\"finalizing\":\"PT1M\"}}");

        // when
        String id = openAiBatch(gpt4o("g1-a1"), gpt4o("g1-a2"));

        // then each minute moves it one phase on
        JsonNode validating = openAiBatchGet(id);
        assertThat(id).startsWith("batch_");
        assertThat(validating.path("object").asText()).isEqualTo("batch");
        assertThat(validating.path("endpoint").asText()).isEqualTo("/v1/chat/completions");
        assertThat(validating.path("completion_window").asText()).isEqualTo("24h");
        assertThat(validating.path("status").asText()).isEqualTo("validating");
        assertThat(validating.path("errors").isNull()).isTrue();
        assertThat(validating.path("in_progress_at").isNull()).isTrue();
        assertThat(validating.path("output_file_id").isNull()).isTrue();
        assertThat(validating.path("expires_at").asLong() - validating.path("created_at").asLong()).isEqualTo(86_400);
        assertThat(validating.at("/metadata/run").asText()).isEqualTo("r1");

        advance("PT1M");
        JsonNode inProgress = openAiBatchGet(id);
        assertThat(inProgress.path("status").asText()).isEqualTo("in_progress");
        assertThat(inProgress.path("in_progress_at").asLong()).isEqualTo(inProgress.path("created_at").asLong() + 60);
        assertThat(inProgress.at("/request_counts/total").asInt()).isEqualTo(2);

        advance("PT1M");
        JsonNode finalizing = openAiBatchGet(id);
        assertThat(finalizing.path("status").asText()).isEqualTo("finalizing");
        assertThat(finalizing.path("finalizing_at").asLong()).isEqualTo(finalizing.path("created_at").asLong() + 120);
        assertThat(finalizing.path("output_file_id").isNull()).isTrue();

        advance("PT1M");
        JsonNode completed = openAiBatchGet(id);
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("completed_at").asLong()).isEqualTo(completed.path("created_at").asLong() + 180);
        assertThat(completed.at("/request_counts/total").asInt()).isEqualTo(2);
        assertThat(completed.at("/request_counts/completed").asInt()).isEqualTo(2);
        assertThat(completed.at("/request_counts/failed").asInt()).isZero();
        assertThat(completed.path("error_file_id").isNull()).isTrue();
        List<JsonNode> output = fileLines(completed.path("output_file_id").asText());
        assertThat(output).extracting(l -> l.path("custom_id").asText()).containsExactlyInAnyOrder("g1-a1", "g1-a2");
        JsonNode line = output.get(0);
        assertThat(line.path("id").asText()).startsWith("batch_req_");
        assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
        assertThat(line.at("/response/request_id").asText()).isNotBlank();
        assertThat(line.at("/response/body/object").asText()).isEqualTo("chat.completion");
        assertThat(line.at("/response/body/choices/0/message/content").asText()).isNotBlank();
        assertThat(line.path("error").isNull()).isTrue();
    }

    @Test
    void shouldMoveThroughThePhasesInRealTime() {
        Sim.config("{\"phases\":{\"validating\":\"PT0.3S\",\"in-progress\":\"PT0.3S\",\"finalizing\":\"PT0.3S\"}}");

        String id = openAiBatch(gpt4o("a"));

        assertThat(openAiBatchGet(id).path("status").asText()).isIn("validating", "in_progress");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> openAiBatchGet(id).path("status").asText().equals("completed"));
        assertThat(openAiBatchGet(id).at("/request_counts/completed").asInt()).isEqualTo(1);
    }

    @Test
    void shouldGiveTheSameTextInABatchAsSynchronously() {
        String id = openAiBatch(gpt4o("a"));
        String batchText = fileLines(openAiBatchGet(id).path("output_file_id").asText()).get(0)
                .at("/response/body/choices/0/message/content").asText();

        String syncText = openAi().body(chat("gpt-4o", "{\"temperature\":0.8,\"max_tokens\":6000}").toString())
                .post("/v1/chat/completions").then().statusCode(200).extract().path("choices[0].message.content");

        assertThat(batchText).isEqualTo(syncText);
    }

    @Test
    void shouldFailAnOpenAiBatchThatMixesModels() {
        String id = openAiBatch(gpt4o("a"), openAiLine("b", chat("gpt-5", "{\"max_completion_tokens\":36000}")));

        JsonNode batch = openAiBatchGet(id);

        assertThat(batch.path("status").asText()).isEqualTo("failed");
        assertThat(batch.path("failed_at").asLong()).isEqualTo(batch.path("created_at").asLong());
        assertThat(batch.at("/errors/object").asText()).isEqualTo("list");
        JsonNode error = batch.at("/errors/data/0");
        assertThat(error.path("code").asText()).isEqualTo("model_mismatch");
        assertThat(error.path("line").asInt()).isEqualTo(2);
        assertThat(error.path("message").asText()).contains("gpt-5").contains("gpt-4o");
        assertThat(batch.path("output_file_id").isNull()).isTrue();
        assertThat(batch.path("in_progress_at").isNull()).isTrue();
        assertThat(Sim.ledger()).isEmpty();
    }

    @Test
    void shouldFailAnOpenAiBatchWithADuplicateCustomId() {
        JsonNode batch = openAiBatchGet(openAiBatch(gpt4o("same"), gpt4o("other"), gpt4o("same")));

        assertThat(batch.path("status").asText()).isEqualTo("failed");
        assertThat(batch.at("/errors/data/0/code").asText()).isEqualTo("duplicate_custom_id");
        assertThat(batch.at("/errors/data/0/line").asInt()).isEqualTo(3);
    }

    @Test
    void shouldFailAnOpenAiBatchWithALineThatIsNotJsonOrLacksABody() {
        JsonNode batch = openAiBatchGet(openAiBatch(gpt4o("a"), "{not json",
                "{\"custom_id\":\"c\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\"}"));

        assertThat(batch.path("status").asText()).isEqualTo("failed");
        assertThat(batch.at("/errors/data").size()).isEqualTo(2);
        assertThat(batch.at("/errors/data/0/code").asText()).isEqualTo("invalid_request");
        assertThat(batch.at("/errors/data/0/line").asInt()).isEqualTo(2);
        assertThat(batch.at("/errors/data/1/code").asText()).isEqualTo("invalid_request");
        assertThat(batch.at("/errors/data/1/line").asInt()).isEqualTo(3);
        assertThat(batch.at("/errors/data/1/param").asText()).isEqualTo("body");
    }

    @Test
    void shouldFailAnOpenAiBatchOfMoreThan50000Requests() {
        String line = "{\"custom_id\":\"x\"}";
        String[] lines = IntStream.range(0, 50_001).mapToObj(i -> line).toArray(String[]::new);

        JsonNode batch = openAiBatchGet(openAiBatch(lines));

        assertThat(batch.path("status").asText()).isEqualTo("failed");
        assertThat(batch.at("/errors/data/0/message").asText()).contains("50001").contains("50000");
    }

    @Test
    void shouldReturnA400LineForTemperatureOnO3InTheErrorFile() {
        // given one valid o3 request and one that sends temperature
        String id = openAiBatch(
                openAiLine("ok", chat("o3", "{\"reasoning_effort\":\"low\",\"max_completion_tokens\":36000}")),
                openAiLine("bad", chat("o3", "{\"temperature\":0.7,\"max_completion_tokens\":36000}")));

        // when
        JsonNode batch = openAiBatchGet(id);

        // then the batch completes; the bad line is a 400 in the error file
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.at("/request_counts/completed").asInt()).isEqualTo(1);
        assertThat(batch.at("/request_counts/failed").asInt()).isEqualTo(1);
        List<JsonNode> output = fileLines(batch.path("output_file_id").asText());
        assertThat(output).extracting(l -> l.path("custom_id").asText()).containsExactly("ok");
        assertThat(output.get(0).at("/response/body/usage/completion_tokens_details/reasoning_tokens").asInt())
                .isPositive();
        List<JsonNode> errors = fileLines(batch.path("error_file_id").asText());
        assertThat(errors).hasSize(1);
        JsonNode bad = errors.get(0);
        assertThat(bad.path("custom_id").asText()).isEqualTo("bad");
        assertThat(bad.at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(bad.at("/response/body/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(bad.at("/response/body/error/code").asText()).isEqualTo("unsupported_parameter");
        assertThat(bad.at("/response/body/error/param").asText()).isEqualTo("temperature");
        assertThat(bad.at("/response/body/error/message").asText())
                .isEqualTo("Unsupported parameter: 'temperature' is not supported with this model.");
        assertThat(bad.path("error").isNull()).isTrue();
        assertThat(Sim.ledger()).extracting(e -> e.path("customId").asText()).containsExactly("ok");
    }

    @Test
    void shouldCompleteWithOnlyAnErrorFileWhenEveryRequestFails() {
        JsonNode batch = openAiBatchGet(openAiBatch(
                openAiLine("a", chat("gpt-5", "{\"temperature\":0.2}")),
                openAiLine("b", chat("gpt-5", "{\"max_tokens\":100}"))));

        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("output_file_id").isNull()).isTrue();
        assertThat(fileLines(batch.path("error_file_id").asText())).hasSize(2)
                .allSatisfy(l -> assertThat(l.at("/response/status_code").asInt()).isEqualTo(400));
        assertThat(batch.at("/request_counts/failed").asInt()).isEqualTo(2);
    }

    @Test
    void shouldReturnOutputLinesOutOfInputOrder() {
        List<String> ids = IntStream.range(0, 30).mapToObj(i -> "req-" + i).collect(Collectors.toList());
        String id = openAiBatch(ids.stream().map(OpenAiBatchesTest::gpt4o).toArray(String[]::new));

        List<String> outputOrder = fileLines(openAiBatchGet(id).path("output_file_id").asText()).stream()
                .map(l -> l.path("custom_id").asText()).collect(Collectors.toList());

        assertThat(outputOrder).containsExactlyInAnyOrderElementsOf(ids).isNotEqualTo(ids);
    }

    @Test
    void shouldCancelABatch() {
        // given a batch whose four requests take ten minutes, a quarter each
        Sim.config("{\"phases\":{\"in-progress\":\"PT10M\",\"finalizing\":\"PT1M\"}}");
        String id = openAiBatch(gpt4o("a"), gpt4o("b"), gpt4o("c"), gpt4o("d"));
        advance("PT5M");
        assertThat(openAiBatchGet(id).at("/request_counts/completed").asInt()).isEqualTo(2);

        // when
        JsonNode cancelling = Sim.obj(openAi().post("/v1/batches/" + id + "/cancel").then().statusCode(200)
                .extract().asString());

        // then it is cancelling, and a minute later cancelled with the two finished requests delivered
        assertThat(cancelling.path("status").asText()).isEqualTo("cancelling");
        assertThat(cancelling.path("cancelling_at").asLong()).isPositive();
        assertThat(cancelling.path("cancelled_at").isNull()).isTrue();
        advance("PT1M");
        JsonNode cancelled = openAiBatchGet(id);
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("cancelled_at").asLong()).isEqualTo(cancelled.path("cancelling_at").asLong() + 60);
        assertThat(fileLines(cancelled.path("output_file_id").asText()))
                .extracting(l -> l.path("custom_id").asText()).containsExactlyInAnyOrder("a", "b");
        List<JsonNode> errors = fileLines(cancelled.path("error_file_id").asText());
        assertThat(errors).extracting(l -> l.path("custom_id").asText()).containsExactlyInAnyOrder("c", "d");
        assertThat(errors).allSatisfy(l -> {
            assertThat(l.path("response").isNull()).isTrue();
            assertThat(l.at("/error/code").asText()).isEqualTo("batch_cancelled");
        });
        assertThat(Sim.ledger()).hasSize(2);
        openAi().post("/v1/batches/" + id + "/cancel").then().statusCode(409)
                .body("error.message", containsString("cancelled"));
    }

    @Test
    void shouldExpireABatchWithPartialResults() {
        // given every batch expires with half its requests done
        Sim.config("{\"phases\":{\"in-progress\":\"PT1H\"},"
                + "\"faults\":{\"batch-expire\":1.0,\"batch-expire-completed-fraction\":0.5}}");
        String id = openAiBatch(gpt4o("a"), gpt4o("b"), gpt4o("c"), gpt4o("d"));
        assertThat(openAiBatchGet(id).path("status").asText()).isEqualTo("in_progress");

        // when the processing time has passed
        advance("PT1H");
        JsonNode batch = openAiBatchGet(id);

        // then
        assertThat(batch.path("status").asText()).isEqualTo("expired");
        assertThat(batch.path("expired_at").asLong()).isEqualTo(batch.path("created_at").asLong() + 3600);
        assertThat(batch.path("finalizing_at").isNull()).isTrue();
        assertThat(batch.at("/request_counts/completed").asInt()).isEqualTo(2);
        assertThat(batch.at("/request_counts/failed").asInt()).isEqualTo(2);
        assertThat(fileLines(batch.path("output_file_id").asText()))
                .extracting(l -> l.path("custom_id").asText()).containsExactlyInAnyOrder("a", "b");
        List<JsonNode> expired = fileLines(batch.path("error_file_id").asText());
        assertThat(expired).extracting(l -> l.path("custom_id").asText()).containsExactlyInAnyOrder("c", "d");
        assertThat(expired).allSatisfy(l -> {
            assertThat(l.path("response").isNull()).isTrue();
            assertThat(l.at("/error/code").asText()).isEqualTo("batch_expired");
            assertThat(l.at("/error/message").asText()).isNotBlank();
        });
        assertThat(Sim.ledger()).extracting(e -> e.path("customId").asText()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void shouldListBatchesNewestFirstInPages() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(openAiBatch(gpt4o("a")));
        }

        JsonNode page1 = Sim.obj(openAi().queryParam("limit", 2).get("/v1/batches").then().statusCode(200)
                .extract().asString());
        JsonNode page2 = Sim.obj(openAi().queryParam("limit", 2).queryParam("after", page1.path("last_id").asText())
                .get("/v1/batches").then().statusCode(200).extract().asString());

        assertThat(page1.path("object").asText()).isEqualTo("list");
        assertThat(page1.path("data")).extracting(b -> b.path("id").asText())
                .containsExactly(created.get(2), created.get(1));
        assertThat(page1.path("first_id").asText()).isEqualTo(created.get(2));
        assertThat(page1.path("has_more").asBoolean()).isTrue();
        assertThat(page2.path("data")).extracting(b -> b.path("id").asText()).containsExactly(created.get(0));
        assertThat(page2.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void shouldAnswer404ForAnUnknownBatchOrFile() {
        openAi().get("/v1/batches/batch_nope").then().statusCode(404)
                .body("error.type", is("invalid_request_error"));
        openAi().get("/v1/files/file-nope/content").then().statusCode(404)
                .body("error.message", containsString("file-nope"));
        openAi().body("{\"input_file_id\":\"file-nope\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}")
                .post("/v1/batches").then().statusCode(404);
    }

    @Test
    void shouldRefuseAnotherCompletionWindowOrEndpoint() {
        String fileId = Sim.upload(gpt4o("a"));
        openAi().body("{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"1h\"}")
                .post("/v1/batches").then().statusCode(400).body("error.param", is("completion_window"));
        openAi().body("{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/embeddings\",\"completion_window\":\"24h\"}")
                .post("/v1/batches").then().statusCode(400).body("error.param", is("endpoint"));
    }

    @Test
    void shouldAnswer401WithoutTheApiKey() {
        given().get("/v1/batches").then().statusCode(401).body("error.code", is("invalid_api_key"));
        given().header("Authorization", "Bearer nope").multiPart("purpose", "batch")
                .multiPart("file", "x.jsonl", "{}".getBytes(StandardCharsets.UTF_8)).post("/v1/files").then()
                .statusCode(401).body("error.code", is("invalid_api_key"));
    }
}
