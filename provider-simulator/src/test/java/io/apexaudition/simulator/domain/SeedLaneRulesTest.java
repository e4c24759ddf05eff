package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lanes named in providers.md: the four Claude lanes as written are refused, their replacements accepted. */
class SeedLaneRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AnthropicRules anthropic = new AnthropicRules(new ModelCatalog());
    private final OpenAiRules openAi = new OpenAiRules(new ModelCatalog());

    private static ObjectNode params(String model, String json) throws Exception {
        ObjectNode p = (ObjectNode) JSON.readTree(json);
        p.put("model", model);
        p.putArray("messages").addObject().put("role", "user").put("content", "Write.");
        return p;
    }

    private String refusal(JsonNode params) {
        return anthropic.check(params, true).map(Violation::message).orElse(null);
    }

    @Test
    void shouldRefuseTheFourClaudeLanesAsWritten() throws Exception {
        assertThat(refusal(params("claude-sonnet-4-5",
                "{\"max_tokens\":38000,\"temperature\":0.8,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}")))
                .contains("`temperature` may only be set to 1 when thinking is enabled");
        assertThat(refusal(params("claude-sonnet-4-5",
                "{\"max_tokens\":38000,\"temperature\":1.1,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}")))
                .contains("temperature: Input should be less than or equal to 1");
        assertThat(refusal(params("claude-opus-4-1",
                "{\"max_tokens\":38000,\"temperature\":1.0,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}")))
                .contains("max_tokens: 38000 > 32000");
        assertThat(refusal(params("claude-opus-4-1",
                "{\"max_tokens\":38000,\"temperature\":1.2,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}")))
                .isNotNull();
    }

    @Test
    void shouldAcceptTheShippedReplacements() throws Exception {
        assertThat(refusal(params("claude-sonnet-4-5", "{\"max_tokens\":6000,\"temperature\":1.0}"))).isNull();
        assertThat(refusal(params("claude-sonnet-4-5",
                "{\"max_tokens\":38000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}"))).isNull();
        assertThat(refusal(params("claude-opus-4-1",
                "{\"max_tokens\":30000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":24000}}"))).isNull();
        assertThat(refusal(params("claude-opus-4-1", "{\"max_tokens\":6000,\"temperature\":1.0}"))).isNull();
    }

    @Test
    void shouldAcceptTheOpenAiLanesWithoutTemperatureOnReasoningModels() throws Exception {
        for (String effort : new String[]{"minimal", "medium", "high"}) {
            assertThat(openAi.check(params("gpt-5", "{\"max_completion_tokens\":36000,\"reasoning_effort\":\""
                    + effort + "\"}"))).isEmpty();
        }
        for (String effort : new String[]{"low", "medium", "high"}) {
            assertThat(openAi.check(params("o3", "{\"max_completion_tokens\":36000,\"reasoning_effort\":\""
                    + effort + "\"}"))).isEmpty();
        }
        assertThat(openAi.check(params("gpt-4o", "{\"temperature\":0.6,\"max_tokens\":6000}"))).isEmpty();
    }
}
