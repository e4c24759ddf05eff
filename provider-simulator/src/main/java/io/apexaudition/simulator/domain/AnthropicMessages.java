package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Consumes Messages API params that passed {@link AnthropicRules}; produces the {@code message} object with
 * deterministic text ({@link Writer}: prose, or a judge's answer to a judge request), a thinking block under
 * extended thinking, and usage that honours {@code cache_control}.
 */
@ApplicationScoped
public class AnthropicMessages {
    private static final int CACHE_MINIMUM_TOKENS = 1024;
    // Claude 4 models return a summary of their thinking while billing every thinking token.
    private static final int THINKING_SUMMARY_MAX_CHARS = 1600;

    private final ModelCatalog catalog;
    private final PromptCache cache;
    private final Writer writer;

    public AnthropicMessages(ModelCatalog catalog, PromptCache cache, Writer writer) {
        this.catalog = catalog;
        this.cache = cache;
        this.writer = writer;
    }

    public ObjectNode create(JsonNode params) {
        String model = params.path("model").asText();
        SplittableRandom random = new SplittableRandom(Canonical.seed(params));
        Input input = input(params);

        int totalInput = Tokens.ofChars(input.chars);
        int cacheRead = 0;
        int cacheWrite = 0;
        int uncached = totalInput;
        if (input.breakpointChars > 0) {
            int prefixTokens = Tokens.ofChars(input.breakpointChars);
            if (prefixTokens >= CACHE_MINIMUM_TOKENS) {
                if (cache.hit("anthropic", model, input.breakpointKey)) {
                    cacheRead = prefixTokens;
                } else {
                    cacheWrite = prefixTokens;
                }
                uncached = totalInput - prefixTokens;
            }
        }

        int maxTokens = params.path("max_tokens").asInt();
        JsonNode thinking = params.path("thinking");
        boolean thinks = "enabled".equals(thinking.path("type").asText());
        int thinkingTokens = 0;
        String thinkingText = null;
        if (thinks) {
            int budget = thinking.path("budget_tokens").asInt();
            thinkingTokens = Math.max(1, (int) Math.round(budget * (0.2 + 0.4 * random.nextDouble())));
            thinkingText = TextGenerator.compose(random,
                    Math.min(thinkingTokens * Tokens.CHARS_PER_TOKEN, THINKING_SUMMARY_MAX_CHARS));
        }
        String modelId = catalog.find("anthropic", model).map(SimulatedModel::id).orElse(model);
        Writer.Visible visible = writer.write(modelId, PromptText.of(params.get("system")), lastUserText(params),
                random, Math.max(0, maxTokens - thinkingTokens));
        String text = visible.text();
        int visibleTokens = visible.tokens();
        String stopReason = visible.cut() ? "max_tokens" : "end_turn";

        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("id", Ids.base62("msg_01", 22));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        ArrayNode content = message.putArray("content");
        if (thinks) {
            content.addObject().put("type", "thinking").put("thinking", thinkingText)
                    .put("signature", Base64.getEncoder().encodeToString(Canonical.sha256("sig:" + thinkingText)));
        }
        content.addObject().put("type", "text").put("text", text);
        message.put("stop_reason", stopReason);
        message.putNull("stop_sequence");
        ObjectNode usage = message.putObject("usage");
        usage.put("input_tokens", uncached);
        usage.put("cache_creation_input_tokens", cacheWrite);
        usage.put("cache_read_input_tokens", cacheRead);
        usage.put("output_tokens", thinkingTokens + visibleTokens);
        return message;
    }

    /** All prompt text in the order Anthropic reads it (system, then messages) and the last cache breakpoint. */
    private static Input input(JsonNode params) {
        Input in = new Input();
        JsonNode system = params.get("system");
        if (system != null && system.isTextual()) {
            in.add(system.asText(), false);
        } else if (system != null && system.isArray()) {
            system.forEach(block -> in.add(block.path("text").asText(""), block.has("cache_control")));
        }
        for (JsonNode message : params.path("messages")) {
            JsonNode content = message.get("content");
            if (content != null && content.isArray()) {
                content.forEach(block -> in.add(block.path("text").asText(""), block.has("cache_control")));
            } else {
                in.add(PromptText.of(content), false);
            }
        }
        return in;
    }

    private static String lastUserText(JsonNode params) {
        String text = "";
        for (JsonNode message : params.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                text = PromptText.of(message.get("content"));
            }
        }
        return text;
    }

    private static final class Input {
        private final StringBuilder key = new StringBuilder();
        private long chars;
        private long breakpointChars;
        private String breakpointKey;

        void add(String text, boolean breakpoint) {
            chars += text.length();
            key.append(text).append('\u0000');
            if (breakpoint) {
                breakpointChars = chars;
                breakpointKey = key.toString();
            }
        }
    }
}
