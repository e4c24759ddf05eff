package io.apexaudition.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;

import java.util.ArrayList;
import java.util.List;

/**
 * Long synchronous calls are streamed (server-sent events), because a connection that carries nothing for ten
 * minutes may be dropped on the way, and a dropped paid call is a result lost; Anthropic's own SDKs refuse to send
 * such a call unstreamed. This class says which calls to stream and turns the events back into the reply the call
 * would have had unstreamed, so the rest of the code sees one shape.
 */
public final class StreamedReplies {
    /**
     * Output budgets above this are streamed: Anthropic's SDKs expect a call to take up to an hour per 128,000
     * output tokens and require streaming beyond ten minutes, which is 21,333 tokens.
     */
    public static final int STREAM_ABOVE_TOKENS = 21_333;

    private StreamedReplies() {
    }

    /** Whether a synchronous call with this body is streamed. */
    public static boolean streamed(JsonNode body) {
        return Math.max(body.path("max_tokens").asInt(0), body.path("max_completion_tokens").asInt(0))
                > STREAM_ABOVE_TOKENS;
    }

    /** The body with streaming asked for (OpenAI: with the usage in the last chunk). */
    public static ObjectNode streaming(ObjectNode body, boolean openAi) {
        ObjectNode streamed = body.deepCopy();
        streamed.put("stream", true);
        if (openAi) {
            streamed.putObject("stream_options").put("include_usage", true);
        }
        return streamed;
    }

    /** How one provider reads its synchronous replies and errors. */
    public interface Replies {
        GenerationOutcome reply(JsonNode body);

        GenerationOutcome error(int status, JsonNode body);

        JsonNode assemble(String sse);
    }

    /**
     * What a paid synchronous call came to: its reply (put back together when it was streamed), the provider's error,
     * or, when the reply was lost after the provider did the work (a stream or a body cut short), an unknown outcome
     * that is never sent again by itself.
     */
    public static GenerationOutcome outcome(ProviderResponse response, boolean streamed, Replies replies) {
        if (response.status() == ProviderResponse.BROKEN_BODY) {
            return ResultMapper.brokenStream(new BrokenStreamException(response.body(), null));
        }
        if (!response.ok()) {
            return replies.error(response.status(), response.json());
        }
        if (!streamed) {
            return replies.reply(response.json());
        }
        try {
            return replies.reply(replies.assemble(response.body()));
        } catch (BrokenStreamException e) {
            return e.error() != null ? replies.error(500, e.error()) : ResultMapper.brokenStream(e);
        } catch (RuntimeException e) {
            return ResultMapper.brokenStream(new BrokenStreamException("the stream could not be read: " + e, null));
        }
    }

    /** A stream that ended before its last event, or that carried an error: the call's result is not whole. */
    public static final class BrokenStreamException extends RuntimeException {
        private final JsonNode error;

        public BrokenStreamException(String message, JsonNode error) {
            super(message);
            this.error = error;
        }

        /** The provider's error event, or null when the stream simply stopped. */
        public JsonNode error() {
            return error;
        }
    }

    /** An Anthropic message rebuilt from its stream of events. */
    public static JsonNode anthropicMessage(String sse) {
        ObjectNode message = null;
        List<ObjectNode> blocks = new ArrayList<>();
        boolean stopped = false;
        for (JsonNode event : events(sse)) {
            switch (event.path("type").asText()) {
                case "message_start" -> message = ((ObjectNode) event.path("message")).deepCopy();
                case "content_block_start" -> {
                    int index = event.path("index").asInt();
                    while (blocks.size() <= index) {
                        blocks.add(EventJson.mapper().createObjectNode());
                    }
                    blocks.set(index, ((ObjectNode) event.path("content_block")).deepCopy());
                }
                case "content_block_delta" -> {
                    int index = event.path("index").asInt();
                    if (index < blocks.size()) {
                        append(blocks.get(index), event.path("delta"));
                    }
                }
                case "message_delta" -> {
                    if (message != null) {
                        message.setAll((ObjectNode) event.path("delta"));
                        if (event.path("usage").isObject()) {
                            ObjectNode usage = message.path("usage").isObject() ? (ObjectNode) message.get("usage")
                                    : message.putObject("usage");
                            usage.setAll((ObjectNode) event.get("usage"));
                        }
                    }
                }
                case "message_stop" -> stopped = true;
                case "error" -> throw new BrokenStreamException("the stream carried an error: "
                        + event.path("error").path("message").asText(), event);
                default -> {
                    // ping, and event types added later: nothing to assemble
                }
            }
        }
        if (message == null || !stopped) {
            throw new BrokenStreamException("the stream ended before message_stop", null);
        }
        ArrayNode content = message.putArray("content");
        blocks.forEach(content::add);
        return message;
    }

    private static void append(ObjectNode block, JsonNode delta) {
        switch (delta.path("type").asText()) {
            case "text_delta" -> block.put("text", block.path("text").asText("") + delta.path("text").asText());
            case "thinking_delta" -> block.put("thinking", block.path("thinking").asText("")
                    + delta.path("thinking").asText());
            case "signature_delta" -> block.put("signature", delta.path("signature").asText());
            default -> {
                // tool input and later delta types: not used by auditions
            }
        }
    }

    /** An OpenAI chat.completion rebuilt from its chunks. */
    public static JsonNode openAiCompletion(String sse) {
        ObjectNode completion = EventJson.mapper().createObjectNode();
        StringBuilder content = new StringBuilder();
        String finish = null;
        boolean done = false;
        for (String data : data(sse)) {
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = parse(data);
            if (chunk.has("error")) {
                throw new BrokenStreamException("the stream carried an error: "
                        + chunk.path("error").path("message").asText(), chunk);
            }
            for (String field : List.of("id", "model", "created", "system_fingerprint")) {
                if (chunk.has(field) && !completion.has(field)) {
                    completion.set(field, chunk.get(field));
                }
            }
            for (JsonNode choice : chunk.path("choices")) {
                content.append(choice.path("delta").path("content").asText(""));
                if (!choice.path("finish_reason").isNull() && choice.has("finish_reason")) {
                    finish = choice.path("finish_reason").asText();
                }
            }
            if (chunk.hasNonNull("usage")) {
                completion.set("usage", chunk.get("usage"));
            }
        }
        if (!done || finish == null) {
            throw new BrokenStreamException("the stream ended before its last chunk", null);
        }
        completion.put("object", "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content.toString());
        choice.put("finish_reason", finish);
        return completion;
    }

    private static List<JsonNode> events(String sse) {
        List<JsonNode> events = new ArrayList<>();
        for (String data : data(sse)) {
            events.add(parse(data));
        }
        return events;
    }

    /** The data of each event, its lines joined as the SSE format says. */
    static List<String> data(String sse) {
        List<String> all = new ArrayList<>();
        StringBuilder current = null;
        for (String line : sse.split("\r\n|\n|\r", -1)) {
            if (line.isEmpty()) {
                if (current != null) {
                    all.add(current.toString());
                    current = null;
                }
            } else if (line.startsWith("data:")) {
                String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                current = current == null ? new StringBuilder(value) : current.append('\n').append(value);
            }
        }
        if (current != null) {
            all.add(current.toString());
        }
        return all;
    }

    private static JsonNode parse(String data) {
        try {
            return EventJson.mapper().readTree(data);
        } catch (JsonProcessingException e) {
            throw new BrokenStreamException("the stream carried an event that is not JSON", null);
        }
    }
}
