package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.apexaudition.simulator.rest.Sim.anthropic;
import static io.apexaudition.simulator.rest.Sim.chat;
import static io.apexaudition.simulator.rest.Sim.claude;
import static io.apexaudition.simulator.rest.Sim.events;
import static io.apexaudition.simulator.rest.Sim.obj;
import static io.apexaudition.simulator.rest.Sim.openAi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

/** Synchronous calls asked with {@code "stream": true} are answered as server-sent events, as the providers do. */
@QuarkusTest
class StreamingTest {

    @BeforeEach
    void reset() {
        Sim.reset();
    }

    @Test
    void shouldStreamAnAnthropicMessageWhoseDeltasMakeTheSameTextAndUsage() {
        // given a long extended-thinking call, asked unstreamed and streamed
        ObjectNode params = claude("claude-sonnet-4-5",
                "{\"max_tokens\":38000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}");
        JsonNode whole = obj(anthropic().body(params.toString()).post("/v1/messages").then().statusCode(200)
                .extract().asString());
        params.put("stream", true);

        // when it is streamed
        String sse = anthropic().body(params.toString()).post("/v1/messages").then().statusCode(200)
                .contentType(startsWith("text/event-stream")).extract().asString();

        // then its events rebuild the same message
        List<JsonNode> events = events(sse);
        assertThat(events.get(0).path("type").asText()).isEqualTo("message_start");
        assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("message_stop");
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        for (JsonNode e : events) {
            text.append(e.path("delta").path("text").asText(""));
            thinking.append(e.path("delta").path("thinking").asText(""));
        }
        String expectedText = "";
        String expectedThinking = "";
        for (JsonNode block : whole.path("content")) {
            expectedText += block.path("text").asText("");
            expectedThinking += block.path("thinking").asText("");
        }
        assertThat(text.toString()).isEqualTo(expectedText);
        assertThat(thinking.toString()).isEqualTo(expectedThinking);
        assertThat(events).anySatisfy(e -> assertThat(e.path("usage").path("output_tokens").asLong())
                .isEqualTo(whole.path("usage").path("output_tokens").asLong()));
    }

    @Test
    void shouldStreamAnOpenAiCompletionWithItsUsageInTheLastChunk() {
        // given a long reasoning call, asked unstreamed and streamed with the usage
        ObjectNode body = chat("o3", "{\"reasoning_effort\":\"low\",\"max_completion_tokens\":36000}");
        JsonNode whole = obj(openAi().body(body.toString()).post("/v1/chat/completions").then().statusCode(200)
                .extract().asString());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);

        // when it is streamed
        String sse = openAi().body(body.toString()).post("/v1/chat/completions").then().statusCode(200)
                .contentType(startsWith("text/event-stream")).extract().asString();

        // then the chunks make the same text, end with a finish reason, the usage and [DONE]
        List<JsonNode> chunks = events(sse);
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text.toString()).isEqualTo(whole.at("/choices/0/message/content").asText());
        assertThat(chunks.get(chunks.size() - 1).path("usage")).isEqualTo(whole.path("usage"));
        assertThat(sse.trim()).endsWith("data: [DONE]");
    }
}
