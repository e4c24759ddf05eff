package io.apexaudition.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBodiesTest {

    @Test
    void shouldLeaveTemperatureOutOfAReasoningModelsBodyEntirely() {
        ObjectNode body = RequestBodies.body(Providers.OPENAI, "gpt-5",
                new LaneParameters(null, null, 36000, "minimal", null), "Write", "Context", true);

        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(RequestBodies.json(body)).isEqualTo("{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"system\","
                + "\"content\":\"Context\"},{\"role\":\"user\",\"content\":\"Write\"}],"
                + "\"max_completion_tokens\":36000,\"reasoning_effort\":\"minimal\"}");
    }

    @Test
    void shouldSendThinkingWithABudgetAndNoTemperatureForAnExtendedClaudeLane() {
        ObjectNode body = RequestBodies.body(Providers.ANTHROPIC, "claude-sonnet-4-5",
                new LaneParameters(null, 38000, null, null, 32000), "Write", "Context", true);

        assertThat(RequestBodies.json(body)).isEqualTo("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":38000,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000},\"system\":[{\"type\":\"text\","
                + "\"text\":\"Context\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Write\"}]}");
    }

    @Test
    void shouldMarkNothingForCachingWhenCachingIsOff() {
        ObjectNode body = RequestBodies.body(Providers.ANTHROPIC, "claude-opus-4-1",
                new LaneParameters(0.8, 6000, null, null, null), "Write", "Context", false);

        assertThat(RequestBodies.json(body)).doesNotContain("cache_control").contains("\"temperature\":0.8");
    }

    @Test
    void shouldWrapBodiesInEachProvidersBatchLineShape() {
        ObjectNode body = RequestBodies.body(Providers.OPENAI, "gpt-4o", new LaneParameters(0.6, 6000, null, null,
                null), "Write", null, true);

        assertThat(RequestBodies.json(RequestBodies.openAiBatchLine("g1-a1", body))).startsWith(
                "{\"custom_id\":\"g1-a1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{");
        assertThat(RequestBodies.json(RequestBodies.anthropicBatchRequest("g1-a1", body))).startsWith(
                "{\"custom_id\":\"g1-a1\",\"params\":{");
    }

    @Test
    void shouldWriteBatchFilesAroundBodyJsonExactlyAsAroundTheBodies() {
        // given two bodies, one with characters JSON must escape
        ObjectNode first = RequestBodies.body(Providers.OPENAI, "gpt-4o", new LaneParameters(0.6, 6000, null, null,
                null), "Write \"quoted\" lines\nand a tab\t and \u00e9", "House style.", true);
        ObjectNode second = RequestBodies.body(Providers.ANTHROPIC, "claude-sonnet-4-5", new LaneParameters(0.6,
                6000, null, null, null), "Write", "House style.", true);
        List<Map.Entry<String, String>> lines = List.of(Map.entry("g1-a1", RequestBodies.json(first)),
                Map.entry("g2-a1", RequestBodies.json(second)));

        // when
        String file = new String(RequestBodies.openAiBatchFile(lines), StandardCharsets.UTF_8);
        String create = RequestBodies.anthropicBatchCreate(lines);

        // then the text is what writing the wrapped nodes gives
        assertThat(file).isEqualTo(RequestBodies.json(RequestBodies.openAiBatchLine("g1-a1", first)) + "\n"
                + RequestBodies.json(RequestBodies.openAiBatchLine("g2-a1", second)) + "\n");
        ObjectNode expected = JsonNodeFactory.instance.objectNode();
        expected.putArray("requests").add(RequestBodies.anthropicBatchRequest("g1-a1", first))
                .add(RequestBodies.anthropicBatchRequest("g2-a1", second));
        assertThat(create).isEqualTo(RequestBodies.json(expected));
    }
}
