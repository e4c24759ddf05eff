package io.apexaudition.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
        writeOpenAiBatchFile(utf8Bodies(lines), out);
        return out.toByteArray();
    }

    /**
     * {@link #openAiBatchFile}, written to {@code out} line by line from bodies already in UTF-8 (copied as they are:
     * a body is neither escaped nor encoded again): a body is asked for ({@code getValue}) only when its line is
     * written, so lazily written bodies are never held together. {@code out} is not closed.
     */
    public static void writeOpenAiBatchFile(Iterator<? extends Map.Entry<String, byte[]>> lines, OutputStream out) {
        try (JsonGenerator g = generatorOver(out)) {
            g.setRootValueSeparator(null); // lines are separated by the newline alone
            while (lines.hasNext()) {
                Map.Entry<String, byte[]> line = lines.next();
                g.writeStartObject();
                g.writeStringField("custom_id", line.getKey());
                g.writeStringField("method", "POST");
                g.writeStringField("url", OPENAI_CHAT_URL);
                g.writeFieldName("body");
                writeRawUtf8Value(g, line.getValue(), out);
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
        writeAnthropicBatchCreate(utf8Bodies(lines), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * {@link #anthropicBatchCreate}, written to {@code out} request by request from bodies already in UTF-8: a body
     * is asked for ({@code getValue}) only when its request is written. {@code out} is not closed.
     */
    public static void writeAnthropicBatchCreate(Iterator<? extends Map.Entry<String, byte[]>> lines,
                                                 OutputStream out) {
        try (JsonGenerator g = generatorOver(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("requests");
            while (lines.hasNext()) {
                Map.Entry<String, byte[]> line = lines.next();
                g.writeStartObject();
                g.writeStringField("custom_id", line.getKey());
                g.writeFieldName("params");
                writeRawUtf8Value(g, line.getValue(), out);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonGenerator generatorOver(OutputStream out) throws IOException {
        return MAPPER.getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    }

    /**
     * A value of bytes already written as UTF-8 JSON, copied to {@code out} as they are: the generator writes the
     * separator before the value (an empty raw value) and hands over what it buffered, then the bytes follow it.
     */
    private static void writeRawUtf8Value(JsonGenerator g, byte[] json, OutputStream out) throws IOException {
        g.writeRawValue("");
        g.flush();
        out.write(json);
    }

    private static Iterator<Map.Entry<String, byte[]>> utf8Bodies(List<Map.Entry<String, String>> lines) {
        return lines.stream()
                .map(l -> Map.entry(l.getKey(), l.getValue().getBytes(StandardCharsets.UTF_8)))
                .iterator();
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

    /**
     * The body's JSON as UTF-8: the bytes of {@link #json} (RequestBodiesJsonPropertyTest holds it to that), written
     * straight to bytes. A long text is copied from its escaped UTF-8, kept once, instead of escaped and encoded for
     * each body; the dispatcher writes every body this way, two to four times, and it was most of its CPU
     * (docs/benchmarks.md, session 20). A text with a surrogate, which a byte generator escapes where {@link #json}
     * keeps the character, makes the whole body go the way of {@link #json}.
     */
    public static byte[] utf8(ObjectNode node) {
        return utf8Body(node).bytes();
    }

    /** {@link #utf8}, with where its long texts lie, for {@link Utf8Body#escapedAgain}. */
    public static Utf8Body utf8Body(ObjectNode node) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(16 * 1024);
             JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            List<Span> spans = new ArrayList<>(2);
            try {
                writeUtf8(node, g, out, spans);
            } catch (HasSurrogate e) {
                return new Utf8Body(json(node).getBytes(StandardCharsets.UTF_8), null);
            }
            g.flush();
            return new Utf8Body(out.toByteArray(), spans);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeUtf8(JsonNode node, JsonGenerator g, ByteArrayBuilder out, List<Span> spans)
            throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                if (hasSurrogate(name)) {
                    throw HasSurrogate.INSTANCE;
                }
                g.writeFieldName(name);
                writeUtf8(field.getValue(), g, out, spans);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode element : node) {
                writeUtf8(element, g, out, spans);
            }
            g.writeEndArray();
        } else if (node.isTextual()) {
            String text = node.textValue();
            EscapedTexts.Escaped escaped = EscapedTexts.fits(text) ? EscapedTexts.utf8(text) : null;
            if (escaped != null) {
                g.writeRawUTF8String(escaped.once(), 0, escaped.once().length);
                g.flush();
                // the text's bytes end just before the closing quote the generator wrote last
                spans.add(new Span(out.size() - 1 - escaped.once().length, escaped));
            } else if (hasSurrogate(text)) {
                throw HasSurrogate.INSTANCE;
            } else {
                g.writeString(text);
            }
        } else {
            g.writeTree(node);
        }
    }

    /** Where a cached long text lies in a body's bytes. */
    private record Span(int start, EscapedTexts.Escaped text) {
    }

    /**
     * A body's UTF-8 JSON ({@link #utf8}) and what storing it inside an event needs: its text, and the same bytes
     * escaped once more as a JSON string's content, each long text's second escaping copied from the cache.
     */
    public static final class Utf8Body {
        private final byte[] bytes;
        /** Null for a body written by {@link #json} (a surrogate in it). */
        private final List<Span> spans;

        private Utf8Body(byte[] bytes, List<Span> spans) {
            this.bytes = bytes;
            this.spans = spans;
        }

        public byte[] bytes() {
            return bytes;
        }

        /**
         * The body as text, decoded from {@link #bytes}: a caller that checked the bytes against a fingerprint stores
         * the very text it checked, not a second writing of the body.
         */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /**
         * The bytes as a UTF-8 generator writes {@link #text} inside a JSON string, between the quotes: each quote and
         * backslash escaped once more (RequestBodiesJsonPropertyTest; the bytes are a generator's JSON, so no raw
         * control character is among them). Null for a body written by {@link #json} (a surrogate in it, which a
         * generator escapes its own way), or whose long text is not where its span says: such a body is written by
         * the generator.
         */
        public byte[] escapedAgain() {
            if (spans == null) {
                return null;
            }
            try (ByteArrayBuilder out = new ByteArrayBuilder(bytes.length + bytes.length / 8)) {
                int at = 0;
                for (Span span : spans) {
                    byte[] once = span.text().once();
                    // the cached text must lie where the span says, or its second escaping would replace other bytes
                    if (span.start() < at || span.start() + once.length > bytes.length
                            || !Arrays.equals(bytes, span.start(), span.start() + once.length, once, 0, once.length)) {
                        return null;
                    }
                    escapeAgain(bytes, at, span.start(), out);
                    out.write(span.text().twice());
                    at = span.start() + once.length;
                }
                escapeAgain(bytes, at, bytes.length, out);
                return out.toByteArray();
            }
        }

        /**
         * The body with its first long text (the shared context, in every body the project writes) cut out, to be
         * stored once rather than in every body; null when it has none, or when the text is not where its span says
         * (such a body is stored whole). Putting the text back at {@link CutBody#at} gives {@link #bytes} again
         * (RequestBodiesJsonPropertyTest).
         */
        public CutBody cut() {
            if (spans == null || spans.isEmpty()) {
                return null;
            }
            Span span = spans.get(0);
            byte[] once = span.text().once();
            int end = span.start() + once.length;
            if (span.start() < 0 || end > bytes.length
                    || !Arrays.equals(bytes, span.start(), end, once, 0, once.length)) {
                return null;
            }
            byte[] cut = new byte[bytes.length - once.length];
            System.arraycopy(bytes, 0, cut, 0, span.start());
            System.arraycopy(bytes, end, cut, span.start(), bytes.length - end);
            int chars = 0;
            for (int i = 0; i < span.start(); i++) {
                // a char starts at every byte that is not a continuation byte (no surrogate, so no 4-byte sequence)
                if ((bytes[i] & 0xC0) != 0x80) {
                    chars++;
                }
            }
            return new CutBody(cut, chars, span.text());
        }
    }

    /**
     * A body to store with its first long text cut out ({@link Utf8Body#cut}): {@code bytes}, the body's UTF-8 without
     * the text; {@code at}, where the text lay, in chars of the body's text (a body written this way holds no
     * surrogate, so its chars are its code points, which is how Postgres counts a text's positions too).
     */
    public static final class CutBody {
        private final byte[] bytes;
        private final int at;
        private final EscapedTexts.Escaped text;

        private CutBody(byte[] bytes, int at, EscapedTexts.Escaped text) {
            this.bytes = bytes;
            this.at = at;
            this.text = text;
        }

        /** The cut body as text. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The cut body's bytes as a JSON string's content (each quote and backslash escaped once more). */
        public byte[] escapedAgain() {
            try (ByteArrayBuilder out = new ByteArrayBuilder(bytes.length + bytes.length / 8)) {
                escapeAgain(bytes, 0, bytes.length, out);
                return out.toByteArray();
            }
        }

        public int at() {
            return at;
        }

        /** The text cut out, as it lay in the body: escaped as a JSON string's content. */
        public String longText() {
            return text.onceText();
        }

        /** The SHA-256 (lower-case hex) of {@link #longText}'s UTF-8: the key it is stored under. */
        public String longTextHash() {
            return text.hash();
        }
    }

    /** Generator-written JSON bytes {@code [from, to)} as a JSON string's content: each quote and backslash doubled. */
    private static void escapeAgain(byte[] bytes, int from, int to, ByteArrayBuilder out) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '"' || b == '\\') {
                out.append('\\');
            }
            out.append(b);
        }
    }

    static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A text a byte generator would escape differently; thrown without a stack, caught in {@link #utf8}. */
    private static final class HasSurrogate extends RuntimeException {
        static final HasSurrogate INSTANCE = new HasSurrogate();

        private HasSurrogate() {
            super("a text holds a surrogate", null, false, false);
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

    /**
     * JSON string literals of the last few long texts, as the mapper escapes them: as text for {@link #json}, and as
     * UTF-8 without the quotes for {@link #utf8} (each form made when first asked for).
     */
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
        /** A text with a surrogate maps to {@link #NOT_HERE}: it is not written from here. */
        private static final Map<String, Escaped> UTF8 = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Escaped> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
        private static final Escaped NOT_HERE = new Escaped(new byte[0]);

        /**
         * A long text's UTF-8 as escaped inside a JSON string ({@code once}: no control character or surrogate is
         * left in it), and that escaped again ({@code twice}, made when first asked for: only bodies stored need it).
         */
        static final class Escaped {
            private final byte[] once;
            private byte[] twice;
            private String onceText;
            private String hash;

            Escaped(byte[] once) {
                this.once = once;
            }

            byte[] once() {
                return once;
            }

            /** {@link #once} as text, made when first asked for: a stored long text's event holds it. */
            synchronized String onceText() {
                if (onceText == null) {
                    onceText = new String(once, StandardCharsets.UTF_8);
                }
                return onceText;
            }

            /** The SHA-256 of {@link #once} in lower-case hex, made when first asked for. */
            synchronized String hash() {
                if (hash == null) {
                    hash = RequestBodyStored.hashOfUtf8(once);
                }
                return hash;
            }

            synchronized byte[] twice() {
                if (twice == null) {
                    try (ByteArrayBuilder out = new ByteArrayBuilder(once.length + once.length / 4)) {
                        escapeAgain(once, 0, once.length, out);
                        twice = out.toByteArray();
                    }
                }
                return twice;
            }
        }

        private EscapedTexts() {
        }

        static boolean fits(String text) {
            return text.length() >= MIN_CHARS && text.length() <= MAX_CHARS;
        }

        static boolean holds(String text) {
            synchronized (LITERALS) {
                if (LITERALS.containsKey(text)) {
                    return true;
                }
            }
            synchronized (UTF8) {
                return UTF8.containsKey(text);
            }
        }

        /** Whether the text's escaped UTF-8 is kept, to be copied into bodies. */
        static boolean holdsUtf8(String text) {
            synchronized (UTF8) {
                Escaped escaped = UTF8.get(text);
                return escaped != null && escaped != NOT_HERE;
            }
        }

        /** The text's escaped UTF-8 between the quotes, or null for a text with a surrogate. */
        static Escaped utf8(String text) throws JsonProcessingException {
            synchronized (UTF8) {
                Escaped escaped = UTF8.get(text);
                if (escaped == null) {
                    if (hasSurrogate(text)) {
                        escaped = NOT_HERE;
                    } else {
                        byte[] quoted = MAPPER.writeValueAsBytes(text);
                        escaped = new Escaped(Arrays.copyOfRange(quoted, 1, quoted.length - 1));
                    }
                    UTF8.put(text, escaped);
                }
                return escaped == NOT_HERE ? null : escaped;
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
