package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A synchronous reply as the providers stream it (server-sent events) when the request says {@code "stream": true}:
 * Anthropic's message_start, content blocks with their deltas, message_delta and message_stop; OpenAI's
 * chat.completion.chunk objects, the usage in a last chunk when {@code stream_options.include_usage} asks, and
 * {@code [DONE]}. Texts are cut into pieces so that a client has to put them back together.
 */
public final class StreamedReplies {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int PIECE = 64;

    private StreamedReplies() {
    }

    /** An Anthropic message as its stream of events. */
    public static String anthropic(ObjectNode message) {
        StringBuilder sse = new StringBuilder();
        ObjectNode start = message.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        ObjectNode startUsage = start.path("usage").isObject() ? (ObjectNode) start.get("usage") : start.putObject("usage");
        startUsage.put("output_tokens", 1);
        event(sse, "message_start", JSON.objectNode().put("type", "message_start").set("message", start));
        event(sse, "ping", JSON.objectNode().put("type", "ping"));
        int index = 0;
        for (JsonNode block : message.path("content")) {
            String type = block.path("type").asText();
            String field = type.equals("thinking") ? "thinking" : "text";
            ObjectNode empty = JSON.objectNode().put("type", type).put(field, "");
            event(sse, "content_block_start", JSON.objectNode().put("type", "content_block_start").put("index", index)
                    .set("content_block", empty));
            for (String piece : pieces(block.path(field).asText(""))) {
                event(sse, "content_block_delta", JSON.objectNode().put("type", "content_block_delta")
                        .put("index", index).set("delta", JSON.objectNode().put("type", field + "_delta")
                                .put(field, piece)));
            }
            if (block.has("signature")) {
                event(sse, "content_block_delta", JSON.objectNode().put("type", "content_block_delta")
                        .put("index", index).set("delta", JSON.objectNode().put("type", "signature_delta")
                                .put("signature", block.path("signature").asText())));
            }
            event(sse, "content_block_stop", JSON.objectNode().put("type", "content_block_stop").put("index", index));
            index++;
        }
        ObjectNode delta = JSON.objectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", message.path("stop_reason").asText())
                .set("stop_sequence", message.path("stop_sequence").isMissingNode() ? JSON.nullNode()
                        : message.get("stop_sequence"));
        delta.putObject("usage").put("output_tokens", message.path("usage").path("output_tokens").asLong());
        event(sse, "message_delta", delta);
        event(sse, "message_stop", JSON.objectNode().put("type", "message_stop"));
        return sse.toString();
    }

    /** An OpenAI chat.completion as its stream of chunks. */
    public static String openAi(ObjectNode completion, boolean includeUsage) {
        StringBuilder sse = new StringBuilder();
        JsonNode choice = completion.path("choices").path(0);
        data(sse, chunk(completion, JSON.objectNode().put("role", "assistant").put("content", ""), null));
        for (String piece : pieces(choice.path("message").path("content").asText(""))) {
            data(sse, chunk(completion, JSON.objectNode().put("content", piece), null));
        }
        data(sse, chunk(completion, JSON.objectNode(), choice.path("finish_reason").asText("stop")));
        if (includeUsage) {
            ObjectNode last = chunk(completion, null, null);
            last.putArray("choices");
            last.set("usage", completion.get("usage"));
            data(sse, last);
        }
        sse.append("data: [DONE]\n\n");
        return sse.toString();
    }

    private static ObjectNode chunk(ObjectNode completion, ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.objectNode().put("id", completion.path("id").asText())
                .put("object", "chat.completion.chunk").put("created", completion.path("created").asLong())
                .put("model", completion.path("model").asText());
        if (delta != null) {
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        return chunk;
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int end = Math.min(text.length(), i + PIECE);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++; // never split a surrogate pair between two events
            }
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    private static void event(StringBuilder sse, String name, JsonNode data) {
        sse.append("event: ").append(name).append('\n');
        data(sse, data);
    }

    private static void data(StringBuilder sse, JsonNode data) {
        sse.append("data: ").append(data.toString()).append("\n\n");
    }
}
