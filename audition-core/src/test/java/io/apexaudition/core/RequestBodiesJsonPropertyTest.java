package io.apexaudition.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a body holds, {@link RequestBodies#json} writes the bytes the mapper's own {@code writeValueAsString}
 * writes: the cached escaping of long texts changes nothing a body's hash or a provider could see.
 */
class RequestBodiesJsonPropertyTest {
    private static final ObjectMapper MAPPER = EventJson.mapper();
    private static final String[] PIECES = {"a", "Z", " ", "\"", "\\", "\n", "\t", "\u0000", "\u001f", "\u007f", "é",
            "\u2028", "\u2029", "日本", "\uD83D\uDE00", "</script>", "{", "}", "[", "]", ",", ":", "0", "-1.5e3"};

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void shouldWriteWhatTheMapperWritesForAnyTree(@ForAll("seeds") long seed) throws Exception {
        // given any tree, long texts (escaped once, then reused) among short ones, some texts repeated
        Random random = new Random(seed);
        String shared = text(random, RequestBodies.EscapedTexts.MIN_CHARS + random.nextInt(6000));
        ObjectNode tree = object(random, 0, shared);

        // when it is written twice (the second time from the cache) then both equal the mapper's bytes
        String expected = MAPPER.writeValueAsString(tree);
        assertThat(RequestBodies.json(tree)).isEqualTo(expected);
        assertThat(RequestBodies.json(tree)).isEqualTo(expected);
    }

    @Property(tries = 20)
    void shouldEscapeAHugeTextEachTimeRatherThanHoldIt(@ForAll("seeds") long seed) throws Exception {
        // given a body whose text is above the cache's bound
        Random random = new Random(seed);
        String huge = text(random, RequestBodies.EscapedTexts.MAX_CHARS + 1 + random.nextInt(1000));
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("content", huge);

        // when it is written, then it is written as the mapper writes it, and not held
        assertThat(RequestBodies.json(tree)).isEqualTo(MAPPER.writeValueAsString(tree));
        assertThat(RequestBodies.EscapedTexts.holds(huge)).isFalse();
    }

    private static ObjectNode object(Random random, int depth, String shared) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            node.set(text(random, random.nextInt(12)) + i, value(random, depth + 1, shared));
        }
        return node;
    }

    private static JsonNode value(Random random, int depth, String shared) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (random.nextInt(depth > 3 ? 7 : 9)) {
            case 0: return f.textNode(shared);
            case 1: return f.textNode(text(random, random.nextInt(3000)));
            case 2: return f.numberNode(random.nextInt());
            case 3: return f.numberNode(random.nextDouble() * 10);
            case 4: return f.booleanNode(random.nextBoolean());
            case 5: return f.nullNode();
            case 6: return f.textNode(text(random, RequestBodies.EscapedTexts.MIN_CHARS + random.nextInt(200)));
            case 7: {
                ArrayNode array = f.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.add(value(random, depth + 1, shared));
                }
                return array;
            }
            default: return object(random, depth, shared);
        }
    }

    private static String text(Random random, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
