package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.Topics;
import io.apexaudition.events.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

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

    /**
     * A results line that could not be read (not JSON, too long): it names no request, so it ends none by itself;
     * the requests left without a result say it was there.
     */
    public static ResultLine unreadableLine(String where, long number, String why, List<String> secrets) {
        return new ResultLine(null, GenerationOutcome.error(ErrorKind.SERVER, Secrets.redact(where + ", line " + number
                + ", " + why, secrets)));
    }

    /**
     * Reads a results body line by line as it arrives and hands each line, mapped by {@code mapper}, to {@code sink}:
     * never more than one line in memory. A line that cannot be read goes to {@code sink} as an
     * {@link #unreadableLine}; a line longer than an event may be ({@link Topics#MAX_MESSAGE_BYTES}) is one.
     */
    public static void readLines(InputStream body, String where, List<String> secrets,
                                 BiFunction<JsonNode, List<String>, ResultLine> mapper, Consumer<ResultLine> sink)
            throws IOException {
        JsonLines.read(body, Topics.MAX_MESSAGE_BYTES, new JsonLines.Handler() {
            @Override
            public void line(JsonNode json) {
                sink.accept(mapper.apply(json, secrets));
            }

            @Override
            public void unreadable(long number, String why) {
                sink.accept(unreadableLine(where, number, why, secrets));
            }
        });
    }

    /** The custom id of a results line, or null when it has none (such a line matches no request). */
    private static String customId(JsonNode line) {
        JsonNode id = line.path("custom_id");
        return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
    }

    /** One line of an OpenAI batch output or error file. */
    public static ResultLine openAiBatchLine(JsonNode line, List<String> secrets) {
        String customId = customId(line);
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
    /**
     * A streamed reply that stopped before its end: the call was answered and may be billed, so it is not sent again
     * by itself; a person decides with `apex retry`.
     */
    public static GenerationOutcome brokenStream(StreamedReplies.BrokenStreamException e) {
        return GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, "the streamed reply stopped before its end ("
                + e.getMessage() + "); the call may have been billed, so it was not sent again: run `apex retry` "
                + "to send it deliberately");
    }

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
        String customId = customId(line);
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
