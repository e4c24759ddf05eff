package io.apexaudition.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Record values no test chose, derived from the event records themselves: for each component of an event (and of
 * the records nested in it) a plausible value, or null, or nothing, or a value of the wrong JSON type, or hostile
 * text (NUL, other control characters, lone surrogates, very long strings); around them a {@code type} that is
 * right, unknown or absent and a {@code schemaVersion} that is current, newer or nonsense. Beside the events:
 * tombstones, JSON {@code null}, scalars, arrays and bytes that are not UTF-8. Every consumer must process or park
 * each of them.
 */
public final class HostileRecords {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String LONG = "x".repeat(100_000);

    private HostileRecords() {
    }

    /** Values (UTF-8 bytes, or null for a tombstone) of a topic whose events are of the given kinds. */
    @SafeVarargs
    public static Arbitrary<byte[]> values(Class<? extends ApexEvent>... kinds) {
        List<Arbitrary<byte[]>> events = new ArrayList<>();
        for (Class<? extends ApexEvent> kind : kinds) {
            events.add(event(kind).map(HostileRecords::jsonBytes));
        }
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(2, Arbitraries.of("null", "", " ", "[]", "42", "\"text\"", "{}", "true", "{\"type\":null}",
                        "{\"type\":\"NoSuchEvent\"}", "{\"type\":42}", "[{}]", "{\"type\":\"RunRequested\"",
                        "\u0000").map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                Tuple.of(12, Arbitraries.oneOf(events)));
    }

    /** Values as the planner's String serde hands them over. */
    @SafeVarargs
    public static Arbitrary<String> texts(Class<? extends ApexEvent>... kinds) {
        return values(kinds).map(v -> v == null ? null : new String(v, StandardCharsets.UTF_8));
    }

    /** One event of the kind as a JSON object, each field plausible, absent, null, mistyped or hostile. */
    public static Arbitrary<ObjectNode> event(Class<? extends ApexEvent> kind) {
        Arbitrary<ObjectNode> body = object(kind);
        Arbitrary<Optional<JsonNode>> type = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(Optional.of(JSON.textNode(kind.getSimpleName())))),
                Tuple.of(1, Arbitraries.just(Optional.<JsonNode>empty())),
                Tuple.of(1, Arbitraries.of("Unknown", "runrequested", "").map(t -> Optional.of(JSON.textNode(t)))));
        Arbitrary<Optional<JsonNode>> version = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(Optional.of(JSON.numberNode(1)))),
                Tuple.of(1, Arbitraries.of(0, -1, 2, 99, Integer.MAX_VALUE).map(v -> Optional.of(JSON.numberNode(v)))),
                Tuple.of(1, Arbitraries.just(Optional.<JsonNode>empty())));
        return Combinators.combine(body, type, version).as((o, t, v) -> {
            ObjectNode node = o.deepCopy();
            t.ifPresentOrElse(n -> node.set("type", n), () -> node.remove("type"));
            v.ifPresentOrElse(n -> node.set("schemaVersion", n), () -> node.remove("schemaVersion"));
            return node;
        });
    }

    private static Arbitrary<ObjectNode> object(Class<?> record) {
        List<Arbitrary<Optional<JsonNode>>> fields = new ArrayList<>();
        RecordComponent[] components = record.getRecordComponents();
        for (RecordComponent c : components) {
            fields.add(field(c.getGenericType()));
        }
        return Combinators.combine(fields).as(values -> {
            ObjectNode node = JSON.objectNode();
            for (int i = 0; i < components.length; i++) {
                int at = i;
                values.get(i).ifPresent(v -> node.set(components[at].getName(), v));
            }
            return node;
        });
    }

    /** A component's value: mostly plausible, sometimes absent, null or of another JSON type. */
    private static Arbitrary<Optional<JsonNode>> field(Type type) {
        return Arbitraries.frequencyOf(
                Tuple.of(14, plausible(type).map(Optional::of)),
                Tuple.of(1, Arbitraries.just(Optional.<JsonNode>empty())),
                Tuple.of(1, Arbitraries.just(Optional.<JsonNode>of(JSON.nullNode()))),
                Tuple.of(1, wrongType().map(Optional::of)));
    }

    private static Arbitrary<JsonNode> wrongType() {
        return Arbitraries.of(JSON.objectNode().put("nested", true), JSON.arrayNode().add(1).add("two"),
                JSON.numberNode(-7), JSON.booleanNode(true), JSON.textNode("not-what-you-expect"),
                JSON.numberNode(new BigDecimal("1e400")));
    }

    private static Arbitrary<JsonNode> plausible(Type type) {
        if (type instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return plausible(args[0]).list().ofMaxSize(3).map(items -> {
                    ArrayNode array = JSON.arrayNode();
                    items.forEach(array::add);
                    return array;
                });
            }
            if (raw == Map.class) {
                return Combinators.combine(text(), plausible(args[1])).as((k, v) -> (JsonNode) JSON.objectNode()
                        .set(k, v)).list().ofMaxSize(2).map(entries -> {
                            ObjectNode o = JSON.objectNode();
                            entries.forEach(e -> o.setAll((ObjectNode) e));
                            return o;
                        });
            }
            return Arbitraries.just(JSON.nullNode());
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return text().map(JSON::textNode);
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.integers().between(1, 5).map(JSON::numberNode)),
                    Tuple.of(1, Arbitraries.of(0L, -1L, (long) Integer.MAX_VALUE, Long.MAX_VALUE).map(JSON::numberNode)));
        }
        if (c == double.class || c == Double.class) {
            return Arbitraries.of(0.0, 0.7, 1.0, 2.5, -1.0).map(JSON::numberNode);
        }
        if (c == boolean.class || c == Boolean.class) {
            return Arbitraries.of(true, false).map(JSON::booleanNode);
        }
        if (c == Instant.class) {
            return Arbitraries.of("2026-12-01T00:00:00Z", "yesterday", "1970-01-01T00:00:00Z")
                    .map(JSON::textNode);
        }
        if (c == BigDecimal.class) {
            return Arbitraries.of("0.001", "0", "-5", "1e20").map(v -> (JsonNode) JSON.numberNode(new BigDecimal(v)));
        }
        if (c.isEnum()) {
            List<JsonNode> names = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                names.add(JSON.textNode(((Enum<?>) constant).name()));
            }
            names.add(JSON.textNode("NO_SUCH_" + c.getSimpleName().toUpperCase()));
            return Arbitraries.of(names);
        }
        if (c.isRecord()) {
            return object(c).map(o -> o);
        }
        return Arbitraries.just(JSON.nullNode());
    }

    /** Text: mostly ids as the services write them, sometimes text no person should type. */
    public static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("run-1", "run-2", "openai", "anthropic", "gpt-4o", "4o.t0-6",
                        "g0123456789abcdef0123456789abcdef-a1", "intent-1", "batch_1", "p01", "completed")),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.of("nul\u0000inside", "\u0000", "bell\u0007tab\tline\nfeed", "lone \ud800 high",
                        "lone \udc00 low", "emoji \ud83d\ude00", "\u202eright-to-left", "'; DROP TABLE x; --",
                        "", " ", LONG)));
    }

    /** JSON as the services write it: UTF-8, with a lone surrogate escaped (a String would turn it into '?'). */
    private static byte[] jsonBytes(JsonNode node) {
        try {
            return EventJson.mapper().writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record value of one event, as a producer would write it. */
    public static byte[] bytes(ApexEvent event) {
        return EventJson.writeBytes(event);
    }
}
