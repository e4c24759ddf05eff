package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.Usage;

import java.util.List;

/** Turns provider answers (synchronous bodies and batch result lines) into {@link GenerationOutcome}s. */
public final class ResultMapper {
    private ResultMapper() {
    }

    /** An OpenAI chat.completion body. */
    public static GenerationOutcome openAiCompletion(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        JsonNode usage = body.path("usage");
        return GenerationOutcome.completed(choice.path("message").path("content").asText(null),
                choice.path("finish_reason").asText(null), new Usage(
                        usage.path("prompt_tokens").asLong(),
                        usage.path("prompt_tokens_details").path("cached_tokens").asLong(),
                        0,
                        usage.path("completion_tokens").asLong(),
                        usage.path("completion_tokens_details").path("reasoning_tokens").asLong()));
    }

    /** An OpenAI error answer ({@code {"error": {...}}}) with its HTTP status. */
    public static GenerationOutcome openAiError(int status, JsonNode body, List<String> secrets) {
        JsonNode error = body.path("error");
        String code = error.path("code").asText("");
        String message = error.path("message").asText(body.isTextual() ? body.asText() : body.toString());
        ErrorKind kind = "batch_expired".equals(code) ? ErrorKind.EXPIRED : ErrorKinds.ofStatus(status);
        return GenerationOutcome.error(kind, Secrets.redact("OpenAI " + (status > 0 ? status + " " : "")
                + (code.isEmpty() ? "" : code + ": ") + message, secrets));
    }

    /** One line of an OpenAI batch output or error file. */
    public static ResultLine openAiBatchLine(JsonNode line, List<String> secrets) {
        String customId = line.path("custom_id").asText();
        JsonNode response = line.path("response");
        if (!response.isMissingNode() && !response.isNull()) {
            int status = response.path("status_code").asInt();
            if (status == 200) {
                return new ResultLine(customId, openAiCompletion(response.path("body")));
            }
            return new ResultLine(customId, openAiError(status, response.path("body"), secrets));
        }
        JsonNode error = line.path("error");
        String code = error.path("code").asText("");
        ErrorKind kind = "batch_expired".equals(code) ? ErrorKind.EXPIRED
                : "batch_cancelled".equals(code) ? ErrorKind.CANCELED : ErrorKind.SERVER;
        return new ResultLine(customId, GenerationOutcome.error(kind, Secrets.redact("OpenAI batch " + code + ": "
                + error.path("message").asText(""), secrets)));
    }

    /** An Anthropic message body. */
    public static GenerationOutcome anthropicMessage(JsonNode message) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText());
            }
        }
        JsonNode usage = message.path("usage");
        long read = usage.path("cache_read_input_tokens").asLong();
        long write = usage.path("cache_creation_input_tokens").asLong();
        return GenerationOutcome.completed(text.toString(), message.path("stop_reason").asText(null), new Usage(
                usage.path("input_tokens").asLong() + read + write, read, write, usage.path("output_tokens").asLong(),
                0));
    }

    /** An Anthropic error answer ({@code {"type":"error","error":{...}}}). */
    public static GenerationOutcome anthropicError(int status, JsonNode body, List<String> secrets) {
        JsonNode error = body.path("error");
        String type = error.path("type").asText(null);
        ErrorKind kind = type != null ? ErrorKinds.ofAnthropicType(type) : ErrorKinds.ofStatus(status);
        String message = error.path("message").asText(body.isTextual() ? body.asText() : body.toString());
        return GenerationOutcome.error(kind, Secrets.redact("Anthropic " + (status > 0 ? status + " " : "")
                + (type == null ? "" : type + ": ") + message, secrets));
    }

    /** One line of an Anthropic batch's results. */
    public static ResultLine anthropicResult(JsonNode line, List<String> secrets) {
        String customId = line.path("custom_id").asText();
        JsonNode result = line.path("result");
        String type = result.path("type").asText();
        return new ResultLine(customId, switch (type) {
            case "succeeded" -> anthropicMessage(result.path("message"));
            case "errored" -> anthropicError(0, result.path("error"), secrets);
            case "canceled" -> GenerationOutcome.error(ErrorKind.CANCELED, "Anthropic: the batch was canceled before "
                    + "this request ran (not billed)");
            case "expired" -> GenerationOutcome.error(ErrorKind.EXPIRED, "Anthropic: the batch expired before this "
                    + "request ran (not billed)");
            default -> GenerationOutcome.error(ErrorKind.SERVER, "Anthropic: unknown result type '" + type + "'");
        });
    }
}
