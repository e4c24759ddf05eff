package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;

import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.chat;
import static io.apexaudition.simulator.rest.Sim.claude;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static io.apexaudition.simulator.rest.Sim.openAiLine;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

/** Batch creates that are carried out but answered badly, and batch listings that fail or lag behind creates. */
@QuarkusTest
class CreateAndListingFaultsTest {

    @TestHTTPResource("/v1/batches")
    URI openAiBatches;

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    private static String openAiCreateBody() {
        String fileId = Sim.upload(openAiLine("oa-1", chat("gpt-4o", "{}")) + "\n");
        return "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}";
    }

    private static String anthropicCreateBody() {
        return "{\"requests\":[" + Sim.anthropicRequest("an-1", claude("claude-sonnet-4-5", "{\"max_tokens\":100}"))
                + "]}";
    }

    private static List<String> listed(String provider) {
        String path = "openai".equals(provider) ? "/v1/batches" : "/v1/messages/batches";
        JsonNode data = Sim.obj(("openai".equals(provider) ? openAi() : anthropic()).get(path).then().statusCode(200)
                .extract().asString()).path("data");
        return data.findValuesAsText("id");
    }

    private static List<String> known(String provider) {
        return Sim.obj("{\"b\":" + given().get("/_sim/batches").then().statusCode(200).extract().asString() + "}")
                .path("b").findParents("provider").stream()
                .filter(b -> provider.equals(b.path("provider").asText())).map(b -> b.path("id").asText()).toList();
    }

    @Test
    void shouldCreateListRunAndBillAnOpenAiBatchWhoseCreateAnswered500() {
        // given the next OpenAI batch create is answered with a server error
        Sim.config("{\"faults\":{\"endpoints\":{\"openai.batches.create\":{\"next\":{\"created-server-error\":1}}}}}");

        // when a batch is created
        openAi().body(openAiCreateBody()).post("/v1/batches").then().statusCode(500)
                .body("error.type", is("server_error"));

        // then it exists, is listed, ran and was billed; and the next create is answered normally
        assertThat(known("openai")).hasSize(1);
        assertThat(listed("openai")).isEqualTo(known("openai"));
        assertThat(Sim.openAiBatchGet(known("openai").get(0)).path("status").asText()).isEqualTo("completed");
        assertThat(Sim.ledger()).hasSize(1);
        assertThat(Sim.ledger().get(0).path("customId").asText()).isEqualTo("oa-1");
        openAi().body(openAiCreateBody()).post("/v1/batches").then().statusCode(200);
        given().get("/_sim/config").then().body("faults.endpoints.'openai.batches.create'.next.size()", is(0));
    }

    @Test
    void shouldCreateAnAnthropicBatchThenHoldItsAnswerAndAnswer504() {
        // given every Anthropic batch create is held 0.4 s, then answered like a gateway timing out
        Sim.config("{\"faults\":{\"timeout-hold\":\"PT0.4S\",\"endpoints\":{\"anthropic.batches.create\":"
                + "{\"created-timeout\":1.0}}}}");

        // when a batch is created
        long start = System.nanoTime();
        anthropic().body(anthropicCreateBody()).post("/v1/messages/batches").then().statusCode(504)
                .body("error.type", is("timeout_error"));

        // then the answer came after the hold, and the batch exists, is listed and was billed
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        assertThat(listed("anthropic")).hasSize(1).isEqualTo(known("anthropic"));
        assertThat(Sim.anthropicResults(known("anthropic").get(0))).hasSize(1);
        assertThat(Sim.ledger()).hasSize(1);
    }

    @Test
    void shouldAnswerAHeldCreateLateWhenTheTimeoutEndsInAnAnswer() {
        // given the next OpenAI create is held 0.4 s and then answered as usual
        Sim.config("{\"faults\":{\"timeout-hold\":\"PT0.4S\",\"created-timeout-end\":\"answer\",\"endpoints\":"
                + "{\"openai.batches.create\":{\"next\":{\"created-timeout\":1}}}}}");

        // when a batch is created
        long start = System.nanoTime();
        String id = openAi().body(openAiCreateBody()).post("/v1/batches").then().statusCode(200).extract().path("id");

        // then its id came late, and it is the one listed
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        assertThat(listed("openai")).containsExactly(id);
    }

    @Test
    void shouldCloseTheConnectionWithoutAnAnswerWhenTheTimeoutEndsInADrop() {
        // given the next OpenAI create is held 0.2 s, then its connection closed
        Sim.config("{\"faults\":{\"timeout-hold\":\"PT0.2S\",\"created-timeout-end\":\"drop\",\"endpoints\":"
                + "{\"openai.batches.create\":{\"next\":{\"created-timeout\":1}}}}}");
        HttpRequest create = HttpRequest.newBuilder(openAiBatches).header("Authorization", "Bearer " + Sim.OPENAI_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(openAiCreateBody())).build();

        // when a batch is created, then the client gets no answer at all
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(create, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        // and yet the batch exists and is listed
        assertThat(listed("openai")).hasSize(1).isEqualTo(known("openai"));
    }

    @Test
    void shouldFailTheListingForTheNextCallsThenListAgain() {
        // given a batch, and the next two Anthropic listings fail
        Sim.anthropicBatch(Sim.anthropicRequest("an-1", claude("claude-sonnet-4-5", "{\"max_tokens\":100}")));
        Sim.config("{\"faults\":{\"endpoints\":{\"anthropic.batches.list\":{\"next\":{\"server-error\":2}}}}}");

        // when it is listed three times
        List<Integer> statuses = IntStream.range(0, 3)
                .mapToObj(i -> anthropic().get("/v1/messages/batches").statusCode()).toList();

        // then two 500s, then the list; the OpenAI listing was never affected
        assertThat(statuses).containsExactly(500, 500, 200);
        assertThat(listed("anthropic")).hasSize(1);
        assertThat(listed("openai")).isEmpty();
    }

    @Test
    void shouldFailTheListingAtTheConfiguredRate() {
        Sim.config("{\"faults\":{\"endpoints\":{\"openai.batches.list\":{\"server-error\":0.5}}}}");

        long failed = IntStream.range(0, 200).filter(i -> openAi().get("/v1/batches").statusCode() == 500).count();

        assertThat(failed).isBetween(70L, 130L);
    }

    @Test
    void shouldLeaveNewBatchesOutOfTheListingsUntilTheLagHasPassed() {
        // given listings lag creates by 30 s
        Sim.config("{\"faults\":{\"listing-lag\":\"PT30S\"}}");

        // when a batch of each provider is created
        String openAiId = Sim.openAiBatch(openAiLine("oa-1", chat("gpt-4o", "{}")));
        String anthropicId = Sim.anthropicBatch(Sim.anthropicRequest("an-1", claude("claude-sonnet-4-5",
                "{\"max_tokens\":100}")));

        // then neither is listed yet, though each can be read by its id
        assertThat(listed("openai")).isEmpty();
        assertThat(listed("anthropic")).isEmpty();
        assertThat(Sim.openAiBatchGet(openAiId).path("id").asText()).isEqualTo(openAiId);
        assertThat(Sim.anthropicBatchGet(anthropicId).path("id").asText()).isEqualTo(anthropicId);

        // and once 30 s have passed both are
        Sim.advance("PT30S");
        assertThat(listed("openai")).containsExactly(openAiId);
        assertThat(listed("anthropic")).containsExactly(anthropicId);
    }
}
