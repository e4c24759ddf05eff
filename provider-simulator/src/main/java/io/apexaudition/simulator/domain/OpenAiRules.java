package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Consumes a chat completions body; produces the first reason OpenAI would refuse it (a 400/404 synchronously,
 * a 4xx line in a batch's error file), with OpenAI's error code and message wording.
 */
@ApplicationScoped
public class OpenAiRules {
    private final ModelCatalog catalog;

    public OpenAiRules(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** A batch line's body: the Batch API refuses {@code stream}. */
    public Optional<Violation> check(JsonNode body) {
        return check(body, true);
    }

    /** @param inBatch batches refuse {@code stream}; the synchronous endpoint streams (server-sent events) */
    public Optional<Violation> check(JsonNode body, boolean inBatch) {
        if (body == null || !body.isObject()) {
            return Optional.of(Violation.openAi(null, null, "The request body must be a JSON object."));
        }
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual()) {
            return Optional.of(Violation.openAi(null, null, "you must provide a model parameter"));
        }
        Optional<SimulatedModel> found = catalog.find("openai", modelNode.asText());
        if (found.isEmpty()) {
            return Optional.of(new Violation(404, "invalid_request_error", "model_not_found", null,
                    "The model `" + modelNode.asText() + "` does not exist or you do not have access to it."));
        }
        SimulatedModel model = found.get();
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            return Optional.of(Violation.openAi("messages", "missing_required_parameter",
                    "Missing required parameter: 'messages'."));
        }
        if (!messages.isArray() || messages.isEmpty()) {
            return Optional.of(Violation.openAi("messages", "empty_array",
                    "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead."));
        }
        if (inBatch && body.path("stream").asBoolean(false)) {
            return Optional.of(Violation.openAi("stream", "unsupported_value",
                    "Unsupported value: 'stream' is not supported in the Batch API; leave it out."));
        }
        return model.reasoning() ? reasoningRules(model, body) : standardRules(model, body);
    }

    private Optional<Violation> reasoningRules(SimulatedModel model, JsonNode body) {
        for (String sampling : List.of("temperature", "top_p")) {
            JsonNode value = body.get(sampling);
            if (value == null) {
                continue;
            }
            // GPT-5 tolerates the default value 1; o3 refuses the key itself.
            if ("default-only".equals(model.temperature())) {
                if (!(value.isNumber() && value.asDouble() == 1.0)) {
                    return Optional.of(Violation.openAi(sampling, "unsupported_value", "Unsupported value: '" + sampling
                            + "' does not support " + Numbers.plain(value)
                            + " with this model. Only the default (1) value is supported."));
                }
            } else {
                return Optional.of(Violation.openAi(sampling, "unsupported_parameter",
                        "Unsupported parameter: '" + sampling + "' is not supported with this model."));
            }
        }
        if (body.has("max_tokens")) {
            return Optional.of(Violation.openAi("max_tokens", "unsupported_parameter",
                    "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."));
        }
        JsonNode effort = body.get("reasoning_effort");
        if (effort != null && !effort.isNull() && !model.reasoningEfforts().contains(effort.asText())) {
            return Optional.of(Violation.openAi("reasoning_effort", "unsupported_value",
                    "Unsupported value: 'reasoning_effort' does not support '" + effort.asText()
                            + "' with this model. Supported values are: " + quotedList(model.reasoningEfforts()) + "."));
        }
        return tokenLimit(model, body, "max_completion_tokens");
    }

    private Optional<Violation> standardRules(SimulatedModel model, JsonNode body) {
        if (body.has("reasoning_effort")) {
            return Optional.of(Violation.openAi("reasoning_effort", "unsupported_parameter",
                    "Unsupported parameter: 'reasoning_effort' is not supported with this model."));
        }
        Optional<Violation> range = range(body, "temperature", model.temperatureMax());
        if (range.isPresent()) {
            return range;
        }
        range = range(body, "top_p", 1.0);
        if (range.isPresent()) {
            return range;
        }
        if (body.has("max_tokens") && body.has("max_completion_tokens")) {
            return Optional.of(Violation.openAi("max_tokens", "invalid_value",
                    "max_tokens and max_completion_tokens cannot both be set. Use max_completion_tokens."));
        }
        Optional<Violation> limit = tokenLimit(model, body, "max_tokens");
        return limit.isPresent() ? limit : tokenLimit(model, body, "max_completion_tokens");
    }

    private static Optional<Violation> range(JsonNode body, String name, double max) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            return Optional.of(Violation.openAi(name, "invalid_type", "Invalid type for '" + name
                    + "': expected a decimal, but got " + v.getNodeType().name().toLowerCase() + " instead."));
        }
        if (v.asDouble() < 0) {
            return Optional.of(Violation.openAi(name, "decimal_below_min_value", "Invalid '" + name
                    + "': decimal below minimum value. Expected a value >= 0, but got " + Numbers.plain(v) + " instead."));
        }
        if (v.asDouble() > max) {
            return Optional.of(Violation.openAi(name, "decimal_above_max_value", "Invalid '" + name
                    + "': decimal above maximum value. Expected a value <= " + Numbers.plain(max) + ", but got "
                    + Numbers.plain(v) + " instead."));
        }
        return Optional.empty();
    }

    private static Optional<Violation> tokenLimit(SimulatedModel model, JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber()) {
            return Optional.of(Violation.openAi(name, "invalid_type",
                    "Invalid type for '" + name + "': expected an integer, but got " + Numbers.plain(v) + " instead."));
        }
        if (v.asLong() < 1) {
            return Optional.of(Violation.openAi(name, "integer_below_min_value", "Invalid '" + name
                    + "': integer below minimum value. Expected a value >= 1, but got " + v.asLong() + " instead."));
        }
        if (v.asLong() > model.outputCap()) {
            return Optional.of(Violation.openAi(name, "invalid_value", name + " is too large: " + v.asLong()
                    + ". This model supports at most " + model.outputCap()
                    + " completion tokens, whereas you provided " + v.asLong() + "."));
        }
        return Optional.empty();
    }

    private static String quotedList(List<String> values) {
        List<String> quoted = values.stream().map(v -> "'" + v + "'").collect(Collectors.toList());
        if (quoted.size() <= 1) {
            return String.join("", quoted);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + ", and " + quoted.get(quoted.size() - 1);
    }
}
