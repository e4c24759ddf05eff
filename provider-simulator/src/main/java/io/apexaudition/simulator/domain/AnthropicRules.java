package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Consumes Messages API params (and a batch custom_id); produces the first reason Anthropic would refuse them:
 * a 400/404 from {@code POST /v1/messages}, an {@code errored} result once a batch has ended.
 */
@ApplicationScoped
public class AnthropicRules {
    public static final Pattern CUSTOM_ID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final String THINKING_DOCS =
            "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

    private final ModelCatalog catalog;

    public AnthropicRules(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    public Optional<Violation> checkCustomId(String customId) {
        if (customId == null || !CUSTOM_ID.matcher(customId).matches()) {
            return Optional.of(Violation.anthropic("custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"));
        }
        return Optional.empty();
    }

    /** @param inBatch batches refuse {@code stream}; the synchronous endpoint streams (server-sent events) */
    public Optional<Violation> check(JsonNode params, boolean inBatch) {
        if (params == null || !params.isObject()) {
            return Optional.of(Violation.anthropic("params: Input should be a valid dictionary"));
        }
        JsonNode modelNode = params.get("model");
        if (modelNode == null || !modelNode.isTextual()) {
            return Optional.of(Violation.anthropic("model: Field required"));
        }
        Optional<SimulatedModel> found = catalog.find("anthropic", modelNode.asText());
        if (found.isEmpty()) {
            return Optional.of(new Violation(404, "not_found_error", null, null, "model: " + modelNode.asText()));
        }
        SimulatedModel model = found.get();
        JsonNode maxTokens = params.get("max_tokens");
        if (maxTokens == null || maxTokens.isNull()) {
            return Optional.of(Violation.anthropic("max_tokens: Field required"));
        }
        if (!maxTokens.isIntegralNumber() || maxTokens.asLong() < 1) {
            return Optional.of(Violation.anthropic("max_tokens: Input should be greater than or equal to 1"));
        }
        JsonNode messages = params.get("messages");
        if (messages == null || messages.isNull()) {
            return Optional.of(Violation.anthropic("messages: Field required"));
        }
        if (!messages.isArray() || messages.isEmpty()) {
            return Optional.of(Violation.anthropic("messages: List should have at least 1 item after validation, not 0"));
        }
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                return Optional.of(Violation.anthropic("messages." + i + ".role: Input should be 'user' or 'assistant'"));
            }
        }
        if (inBatch && params.path("stream").asBoolean(false)) {
            return Optional.of(Violation.anthropic("stream: Streaming is not supported in the Message Batches API"));
        }
        Optional<Violation> range = unitRange(params, "temperature");
        if (range.isPresent()) {
            return range;
        }
        range = unitRange(params, "top_p");
        if (range.isPresent()) {
            return range;
        }
        if (maxTokens.asLong() > model.outputCap()) {
            return Optional.of(Violation.anthropic("max_tokens: " + maxTokens.asLong() + " > " + model.outputCap()
                    + ", which is the maximum allowed number of output tokens for " + model.id()));
        }
        Optional<Violation> thinking = thinking(params, maxTokens.asLong());
        if (thinking.isPresent()) {
            return thinking;
        }
        if (!model.temperatureWithTopP() && present(params, "temperature") && present(params, "top_p")) {
            return Optional.of(Violation.anthropic(
                    "`temperature` and `top_p` cannot both be specified for this model. Please use only one."));
        }
        return Optional.empty();
    }

    private static Optional<Violation> thinking(JsonNode params, long maxTokens) {
        JsonNode thinking = params.get("thinking");
        if (thinking == null || thinking.isNull()) {
            return Optional.empty();
        }
        String type = thinking.path("type").asText("");
        if (type.equals("disabled")) {
            return Optional.empty();
        }
        if (!type.equals("enabled")) {
            return Optional.of(Violation.anthropic("thinking.type: Input should be 'enabled' or 'disabled'"));
        }
        JsonNode budget = thinking.get("budget_tokens");
        if (budget == null || !budget.isIntegralNumber()) {
            return Optional.of(Violation.anthropic("thinking.enabled.budget_tokens: Field required"));
        }
        if (budget.asLong() < 1024) {
            return Optional.of(Violation.anthropic(
                    "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"));
        }
        if (budget.asLong() >= maxTokens) {
            return Optional.of(Violation.anthropic("`max_tokens` must be greater than `thinking.budget_tokens`. "
                    + THINKING_DOCS + "#max-tokens-and-context-window-size"));
        }
        JsonNode temperature = params.get("temperature");
        if (temperature != null && !temperature.isNull() && temperature.asDouble() != 1.0) {
            return Optional.of(Violation.anthropic("`temperature` may only be set to 1 when thinking is enabled. "
                    + THINKING_DOCS + "#feature-compatibility"));
        }
        JsonNode topP = params.get("top_p");
        if (topP != null && !topP.isNull() && topP.asDouble() < 0.95) {
            return Optional.of(Violation.anthropic(
                    "`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled. "
                            + THINKING_DOCS + "#feature-compatibility"));
        }
        if (present(params, "top_k")) {
            return Optional.of(Violation.anthropic("`top_k` must be unset when thinking is enabled. "
                    + THINKING_DOCS + "#feature-compatibility"));
        }
        return Optional.empty();
    }

    private static Optional<Violation> unitRange(JsonNode params, String name) {
        JsonNode v = params.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            return Optional.of(Violation.anthropic(name + ": Input should be a valid number"));
        }
        if (v.asDouble() < 0.0) {
            return Optional.of(Violation.anthropic(name + ": Input should be greater than or equal to 0"));
        }
        if (v.asDouble() > 1.0) {
            return Optional.of(Violation.anthropic(name + ": Input should be less than or equal to 1"));
        }
        return Optional.empty();
    }

    private static boolean present(JsonNode params, String name) {
        return params.has(name) && !params.get(name).isNull();
    }
}
