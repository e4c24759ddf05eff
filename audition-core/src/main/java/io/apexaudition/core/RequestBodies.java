package io.apexaudition.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact JSON body a lane and a prompt produce for each provider, following the providers' rules: a
 * parameter the lane leaves out (null) is a key that does not appear at all, so GPT-5 and o3 never see
 * {@code temperature}. Keys come in a fixed order, so the same request always serialises to the same bytes.
 */
public final class RequestBodies {
    public static final String OPENAI_CHAT_URL = "/v1/chat/completions";
    private static final ObjectMapper MAPPER = EventJson.mapper();

    private RequestBodies() {
    }

    /** The synchronous body, which is also the {@code body} / {@code params} of a batch line. */
    public static ObjectNode body(String provider, String apiModelId, LaneParameters p, String promptText,
                                  String sharedContext, boolean cache) {
        return switch (provider) {
            case Providers.OPENAI -> openAi(apiModelId, p, promptText, sharedContext);
            case Providers.ANTHROPIC -> anthropic(apiModelId, p, promptText, sharedContext, cache);
            default -> throw new IllegalArgumentException("Unknown provider '" + provider + "'");
        };
    }

    public static ObjectNode body(GenerationRequested r) {
        return body(r.provider(), r.apiModelId(), r.parameters(), r.promptText(), r.sharedContext(), r.cache());
    }

    /**
     * OpenAI chat completions. Prefix caching is automatic on OpenAI (prompts of 1,024+ tokens) and has no
     * switch, so {@code cache} does not change the body; the shared context goes first to be that prefix.
     */
    static ObjectNode openAi(String model, LaneParameters p, String promptText, String sharedContext) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        if (sharedContext != null && !sharedContext.isBlank()) {
            messages.addObject().put("role", "system").put("content", sharedContext);
        }
        messages.addObject().put("role", "user").put("content", promptText);
        if (p.temperature() != null) {
            body.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            body.put("top_p", p.topP());
        }
        if (p.maxTokens() != null) {
            body.put("max_tokens", p.maxTokens());
        }
        if (p.maxCompletionTokens() != null) {
            body.put("max_completion_tokens", p.maxCompletionTokens());
        }
        if (p.reasoningEffort() != null) {
            body.put("reasoning_effort", p.reasoningEffort());
        }
        return body;
    }

    /** Anthropic Messages; the shared context is a system block marked for caching unless caching is off. */
    static ObjectNode anthropic(String model, LaneParameters p, String promptText, String sharedContext,
                                boolean cache) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", p.maxTokens());
        if (p.temperature() != null) {
            body.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            body.put("top_p", p.topP());
        }
        if (p.thinkingBudgetTokens() != null) {
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", p.thinkingBudgetTokens());
        }
        if (sharedContext != null && !sharedContext.isBlank()) {
            ObjectNode block = body.putArray("system").addObject().put("type", "text").put("text", sharedContext);
            if (cache) {
                block.putObject("cache_control").put("type", "ephemeral");
            }
        }
        body.putArray("messages").addObject().put("role", "user").put("content", promptText);
        return body;
    }

    /** One line of an OpenAI batch input file. */
    public static ObjectNode openAiBatchLine(String customId, ObjectNode body) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("custom_id", customId);
        line.put("method", "POST");
        line.put("url", OPENAI_CHAT_URL);
        line.set("body", body);
        return line;
    }

    /** One entry of an Anthropic message batch's {@code requests}. */
    public static ObjectNode anthropicBatchRequest(String customId, ObjectNode params) {
        ObjectNode request = MAPPER.createObjectNode();
        request.put("custom_id", customId);
        request.set("params", params);
        return request;
    }

    /**
     * An OpenAI batch input file: one {@link #openAiBatchLine} per body, each already written as JSON (the bodies
     * are embedded as they are, not parsed and written again), one per line.
     *
     * @param lines custom id and body JSON, in file order
     */
    public static byte[] openAiBatchFile(List<Map.Entry<String, String>> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.stream()
                .mapToInt(l -> l.getValue().length() + 128).sum());
        writeOpenAiBatchFile(lines.iterator(), out);
        return out.toByteArray();
    }

    /**
     * {@link #openAiBatchFile}, written to {@code out} as UTF-8 line by line: a body is asked for ({@code getValue})
     * only when its line is written, so lazily written bodies are never held together. {@code out} is not closed.
     */
    public static void writeOpenAiBatchFile(Iterator<? extends Map.Entry<String, String>> lines, OutputStream out) {
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            g.setRootValueSeparator(null); // lines are separated by the newline alone
            while (lines.hasNext()) {
                Map.Entry<String, String> line = lines.next();
                g.writeStartObject();
                g.writeStringField("custom_id", line.getKey());
                g.writeStringField("method", "POST");
                g.writeStringField("url", OPENAI_CHAT_URL);
                g.writeFieldName("body");
                g.writeRawValue(line.getValue());
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An Anthropic message batch creation, {@code {"requests":[...]}}, around bodies already written as JSON. */
    public static String anthropicBatchCreate(List<Map.Entry<String, String>> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.stream()
                .mapToInt(l -> l.getValue().length() + 64).sum());
        writeAnthropicBatchCreate(lines.iterator(), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * {@link #anthropicBatchCreate}, written to {@code out} as UTF-8 request by request: a body is asked for
     * ({@code getValue}) only when its request is written. {@code out} is not closed.
     */
    public static void writeAnthropicBatchCreate(Iterator<? extends Map.Entry<String, String>> lines,
                                                 OutputStream out) {
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            g.writeStartObject();
            g.writeArrayFieldStart("requests");
            while (lines.hasNext()) {
                Map.Entry<String, String> line = lines.next();
                g.writeStartObject();
                g.writeStringField("custom_id", line.getKey());
                g.writeFieldName("params");
                g.writeRawValue(line.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body's JSON text: the bytes {@code writeValueAsString} gives (RequestBodiesJsonPropertyTest holds it to
     * that), except that a long text (the shared context every body of a lane repeats) is escaped once and then
     * copied, not escaped again for each of thousands of bodies.
     */
    public static String json(ObjectNode node) {
        try (SegmentedStringWriter out = new SegmentedStringWriter(MAPPER.getFactory()._getBufferRecycler());
             JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            write(node, g);
            g.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonNode node, JsonGenerator g) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                g.writeFieldName(field.getKey());
                write(field.getValue(), g);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode element : node) {
                write(element, g);
            }
            g.writeEndArray();
        } else if (node.isTextual() && EscapedTexts.fits(node.textValue())) {
            g.writeRawValue(EscapedTexts.literal(node.textValue()));
        } else {
            g.writeTree(node);
        }
    }

    /** JSON string literals of the last few long texts, as the mapper escapes them. */
    static final class EscapedTexts {
        static final int MIN_CHARS = 2048;
        /** Above this a text is escaped each time: 32 literals of it could take a good part of a 128 MB heap. */
        static final int MAX_CHARS = 65_536;
        private static final int MAX_ENTRIES = 32;
        private static final Map<String, String> LITERALS = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > MAX_ENTRIES;
            }
        };

        private EscapedTexts() {
        }

        static boolean fits(String text) {
            return text.length() >= MIN_CHARS && text.length() <= MAX_CHARS;
        }

        static boolean holds(String text) {
            synchronized (LITERALS) {
                return LITERALS.containsKey(text);
            }
        }

        static String literal(String text) throws JsonProcessingException {
            synchronized (LITERALS) {
                String literal = LITERALS.get(text);
                if (literal == null) {
                    literal = MAPPER.writeValueAsString(text);
                    LITERALS.put(text, literal);
                }
                return literal;
            }
        }
    }
}
