package io.apexaudition.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JacksonFeatureSet;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON for every event. Readers ignore fields they do not know (a newer writer may add some) and accept a
 * missing optional field (an older writer may lack it); a record whose {@code schemaVersion} is newer than
 * this code knows is refused with {@link UnreadableEventException}, never guessed at.
 */
public final class EventJson {
    private static final int MAX_ECHO = 300;

    private static final ObjectMapper MAPPER = mapperSkipping(Set.of());

    /**
     * The bulky text fields some readers never use. A reader that skips them does not decode them (the parser
     * steps over the string), which is most of the cost of reading a request: the shared context is kilobytes,
     * the rest of the event a few hundred bytes. A skipped field reads as {@code null}. (Request bodies need no
     * skipping: batches and results name them by hash, and only {@link RequestBodyStored} carries one.)
     */
    public enum Skip {
        /** {@link GenerationRequested#sharedContext()}: the dispatcher builds requests from it, nobody else needs it. */
        SHARED_CONTEXT,
        /**
         * {@link GenerationCompleted#outputText()}: what counts results (the planner's progress) needs their state,
         * not their text, and skipping a string does not decode it.
         */
        OUTPUT_TEXT
    }

    /** A mapper per set of skipped fields, made when first asked for. */
    private static final Map<Set<Skip>, ObjectMapper> SKIPPING = new ConcurrentHashMap<>();

    @JsonIgnoreProperties({"sharedContext"})
    private interface WithoutSharedContext {
    }

    @JsonIgnoreProperties({"outputText"})
    private interface WithoutOutputText {
    }

    private static ObjectMapper mapperSkipping(Set<Skip> skip) {
        JsonMapper.Builder builder = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                // after JavaTimeModule, so that its Instant (de)serializers give way to these
                .addModule(new SimpleModule("apex-instant-text")
                        .addSerializer(Instant.class, new InstantTextSerializer())
                        .addDeserializer(Instant.class, new InstantTextDeserializer()))
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
                .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
                .configure(MapperFeature.USE_BASE_TYPE_AS_DEFAULT_IMPL, true)
                .serializationInclusion(JsonInclude.Include.NON_NULL);
        if (skip.contains(Skip.SHARED_CONTEXT)) {
            builder.addMixIn(GenerationRequested.class, WithoutSharedContext.class);
            builder.addMixIn(LaneGroupRequested.Item.class, WithoutSharedContext.class);
        }
        if (skip.contains(Skip.OUTPUT_TEXT)) {
            builder.addMixIn(GenerationCompleted.class, WithoutOutputText.class);
        }
        return builder.build();
    }

    private static ObjectMapper mapperFor(Set<Skip> skip) {
        if (skip.isEmpty()) {
            return MAPPER;
        }
        ObjectMapper mapper = SKIPPING.get(skip);
        return mapper != null ? mapper : SKIPPING.computeIfAbsent(EnumSet.copyOf(skip), EventJson::mapperSkipping);
    }

    private static final Map<Class<? extends ApexEvent>, Integer> KNOWN_VERSIONS = Map.ofEntries(
            Map.entry(RunRequested.class, RunRequested.SCHEMA_VERSION),
            Map.entry(RetryRequested.class, RetryRequested.SCHEMA_VERSION),
            Map.entry(JudgingRequested.class, JudgingRequested.SCHEMA_VERSION),
            Map.entry(LaneRegistered.class, LaneRegistered.SCHEMA_VERSION),
            Map.entry(PromptIngested.class, PromptIngested.SCHEMA_VERSION),
            Map.entry(RunAccepted.class, RunAccepted.SCHEMA_VERSION),
            Map.entry(RunRejected.class, RunRejected.SCHEMA_VERSION),
            Map.entry(GenerationRequested.class, GenerationRequested.SCHEMA_VERSION),
            Map.entry(LaneGroupRequested.class, LaneGroupRequested.SCHEMA_VERSION),
            Map.entry(DispatchIntended.class, DispatchIntended.SCHEMA_VERSION),
            Map.entry(BatchSubmitted.class, BatchSubmitted.SCHEMA_VERSION),
            Map.entry(DispatchSettled.class, DispatchSettled.SCHEMA_VERSION),
            Map.entry(BatchStatusChanged.class, BatchStatusChanged.SCHEMA_VERSION),
            Map.entry(GenerationCompleted.class, GenerationCompleted.SCHEMA_VERSION),
            Map.entry(RunCompleted.class, RunCompleted.SCHEMA_VERSION),
            Map.entry(DeadLettered.class, DeadLettered.SCHEMA_VERSION),
            Map.entry(VerdictRecorded.class, VerdictRecorded.SCHEMA_VERSION),
            Map.entry(RequestBodyStored.class, RequestBodyStored.SCHEMA_VERSION),
            Map.entry(LongTextStored.class, LongTextStored.SCHEMA_VERSION));

    private EventJson() {
    }

    /** The shared mapper, for code that handles plain JSON next to events (request bodies, provider replies). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(ApexEvent event) {
        try {
            return MAPPER.writerFor(ApexEvent.class).writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Could not write " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The event as UTF-8 JSON, without the detour through a String (the form producers send). */
    public static byte[] writeBytes(ApexEvent event) {
        try {
            return MAPPER.writerFor(ApexEvent.class).writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Could not write " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * {@link #writeBytes} of a stored body whose body its writer has as UTF-8 already escaped as a JSON string's
     * content ({@code escapedBody}, the bytes between the quotes): the same bytes (RequestBodyStoredJsonPropertyTest),
     * without escaping and encoding kilobytes char by char once more. The dispatcher stores a body per request, and
     * that was its largest cost (docs/benchmarks.md, session 20). The mapper writes the event with an empty body, its
     * last field, and the escaped body goes between those quotes; a null {@code escapedBody}, or a record that does not
     * end that way, is written whole.
     */
    public static byte[] writeBytes(RequestBodyStored event, byte[] escapedBody) {
        if (escapedBody == null) {
            return writeBytes(event);
        }
        byte[] shell = writeBytes(new RequestBodyStored(event.eventId(), event.schemaVersion(), event.occurredAt(),
                event.bodyHash(), event.textHash(), event.textAt(), ""));
        int cut = shell.length - EMPTY_BODY_END.length;
        if (cut < 0 || !Arrays.equals(shell, cut, shell.length, EMPTY_BODY_END, 0, EMPTY_BODY_END.length)) {
            return writeBytes(event);
        }
        int open = cut + EMPTY_BODY_END.length - 2; // just after the body's opening quote
        byte[] record = Arrays.copyOf(shell, open + escapedBody.length + 2);
        System.arraycopy(escapedBody, 0, record, open, escapedBody.length);
        record[record.length - 2] = '"';
        record[record.length - 1] = '}';
        return record;
    }

    private static final byte[] EMPTY_BODY_END = "\"body\":\"\"}".getBytes(StandardCharsets.UTF_8);

    /** Reads any event, telling its kind from the {@code type} property. */
    public static ApexEvent read(String json) {
        return read(json, ApexEvent.class);
    }

    /** Reads any event from a record's UTF-8 bytes, leaving out the fields in {@code skip}. */
    public static ApexEvent read(byte[] json, Set<Skip> skip) {
        return read(json, ApexEvent.class, skip);
    }

    /** Reads an event of the given kind from a record's UTF-8 bytes, leaving out the fields in {@code skip}. */
    public static <T extends ApexEvent> T read(byte[] json, Class<T> type, Set<Skip> skip) {
        if (json == null || isBlank(json)) {
            throw new UnreadableEventException("empty record: expected a JSON object of "
                    + type.getSimpleName());
        }
        ApexEvent event;
        try {
            event = mapperFor(skip).readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("malformed JSON for " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + " (record starts with: " + echo(json) + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new UnreadableEventException("unusable " + type.getSimpleName() + ": " + e
                    + " (record starts with: " + echo(json) + ")", e);
        }
        return checked(event, type);
    }

    /**
     * Reads an event of the given kind. A missing {@code type} is taken as that kind, so a hand-written run
     * command needs none.
     */
    public static <T extends ApexEvent> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new UnreadableEventException("empty record: expected a JSON object of "
                    + type.getSimpleName());
        }
        ApexEvent event;
        try {
            event = MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("malformed JSON for " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + " (record starts with: " + echo(json) + ")", e);
        } catch (RuntimeException e) {
            throw new UnreadableEventException("unusable " + type.getSimpleName() + ": " + e
                    + " (record starts with: " + echo(json) + ")", e);
        }
        return checked(event, type);
    }

    private static <T extends ApexEvent> T checked(ApexEvent event, Class<T> type) {
        if (event == null) {
            // JSON null (or a record whose only content is null) reads as no event at all
            throw new UnreadableEventException("the record is JSON null: expected a JSON object of "
                    + type.getSimpleName());
        }
        if (!type.isInstance(event)) {
            throw new UnreadableEventException("expected " + type.getSimpleName() + " but the record is "
                    + event.getClass().getSimpleName());
        }
        int known = KNOWN_VERSIONS.getOrDefault(event.getClass(), 1);
        if (event.schemaVersion() > known) {
            throw new UnreadableEventException(event.getClass().getSimpleName() + " schemaVersion "
                    + event.schemaVersion() + " is newer than this service understands (" + known
                    + "): upgrade the service before replaying this topic");
        }
        List<String> problems = EventChecks.problems(event);
        if (!problems.isEmpty()) {
            throw new UnreadableEventException(event.getClass().getSimpleName() + " is incomplete: "
                    + String.join(", ", problems) + ". Whatever wrote it must fill these fields; the record is "
                    + "parked and the consumer goes on with the next");
        }
        return type.cast(event);
    }

    /**
     * Reads a record of the run-command topic: a {@link RetryRequested} or a {@link JudgingRequested} when its
     * {@code type} says so, otherwise a {@link RunRequested} (whose {@code type} a hand-written command may leave
     * out).
     */
    public static ApexEvent readCommand(String json) {
        if (json != null && (json.contains("\"RetryRequested\"") || json.contains("\"JudgingRequested\""))) {
            try {
                String type = MAPPER.readTree(json).path("type").asText();
                if ("RetryRequested".equals(type)) {
                    return read(json, RetryRequested.class);
                }
                if ("JudgingRequested".equals(type)) {
                    return read(json, JudgingRequested.class);
                }
            } catch (JsonProcessingException e) {
                // not JSON at all: reading it as a RunRequested below names the problem
            }
        }
        return read(json, RunRequested.class);
    }

    /** The start of a record's UTF-8 bytes, short enough for an error message. */
    public static String echo(byte[] payload) {
        if (payload == null) {
            return "null";
        }
        int head = Math.min(payload.length, 4 * MAX_ECHO);
        String echo = echo(new String(payload, 0, head, StandardCharsets.UTF_8));
        return head < payload.length && !echo.endsWith("...") ? echo + "..." : echo;
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The start of a payload, short enough for an error message. */
    public static String echo(String payload) {
        if (payload == null) {
            return "null";
        }
        // cut before flattening: a multi-megabyte poison record must not be copied whole for an error message
        String head = payload.length() > 4 * MAX_ECHO ? payload.substring(0, 4 * MAX_ECHO) : payload;
        String flat = head.replaceAll("\\s+", " ");
        if (head.length() < payload.length() && flat.length() <= MAX_ECHO) {
            return flat + "...";
        }
        return flat.length() <= MAX_ECHO ? flat : flat.substring(0, MAX_ECHO) + "...";
    }

    /**
     * Writes an {@link Instant} through {@link InstantText}: the same text as JavaTimeModule's serializer, which
     * still writes what this one does not (timestamps when a writer asks for them, a {@code @JsonFormat}).
     */
    private static final class InstantTextSerializer extends StdSerializer<Instant> implements ContextualSerializer {
        InstantTextSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)) {
                InstantSerializer.INSTANCE.serialize(value, gen, provider);
                return;
            }
            char[] text = new char[32];
            int length = InstantText.format(value, text);
            if (length < 0) {
                gen.writeString(InstantText.format(value));
            } else {
                gen.writeString(text, 0, length);
            }
        }

        @Override
        public void serializeWithType(Instant value, JsonGenerator gen, SerializerProvider provider,
                                      TypeSerializer typeSer) throws IOException {
            InstantSerializer.INSTANCE.serializeWithType(value, gen, provider, typeSer);
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            JsonFormat.Value format = findFormatOverrides(provider, property, handledType());
            return format == null || JsonFormat.Value.empty().equals(format) ? this
                    : InstantSerializer.INSTANCE.createContextual(provider, property);
        }
    }

    /**
     * Reads an {@link Instant} written in ISO_INSTANT's own form through {@link InstantText}; any other input
     * (numbers, offsets, whitespace, a malformed text) goes to JavaTimeModule's deserializer, which reads or refuses
     * it as before.
     */
    private static final class InstantTextDeserializer extends StdDeserializer<Instant>
            implements ContextualDeserializer {
        /** JavaTimeModule's own, with the features it registers it with. */
        private static final InstantDeserializer<Instant> MODULES =
                InstantDeserializer.INSTANT.withFeatures(JacksonFeatureSet.fromDefaults(JavaTimeFeature.values()));

        InstantTextDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant instant = InstantText.parseOrNull(p.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return MODULES.deserialize(p, ctxt);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.DateTime;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            JsonFormat.Value format = findFormatOverrides(ctxt, property, handledType());
            return format == null || JsonFormat.Value.empty().equals(format) ? this
                    : MODULES.createContextual(ctxt, property);
        }
    }

    /** A record could not be turned into an event; the message says what is wrong with it. */
    public static final class UnreadableEventException extends RuntimeException {
        public UnreadableEventException(String message) {
            super(message);
        }

        public UnreadableEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
