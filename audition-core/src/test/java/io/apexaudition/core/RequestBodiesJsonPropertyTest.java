package io.apexaudition.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RequestBodyStored;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a body holds, {@link RequestBodies#json} writes the bytes the mapper's own {@code writeValueAsString}
 * writes: the cached escaping of long texts changes nothing a body's hash or a provider could see.
 */
class RequestBodiesJsonPropertyTest {
    private static final ObjectMapper MAPPER = EventJson.mapper();
    private static final String[] PIECES = {"a", "Z", " ", "\"", "\\", "\n", "\t", "\u0000", "\u001f", "\u007f", "é",
            "\u2028", "\u2029", "日本", "\uD83D\uDE00", "\uD800", "\uDFFF", "</script>", "{", "}", "[", "]", ",", ":", "0", "-1.5e3"};

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void shouldWriteWhatTheMapperWritesForAnyTree(@ForAll("seeds") long seed) throws Exception {
        // given any tree, long texts (escaped once, then reused) among short ones, some texts repeated
        ObjectNode tree = anyTree(seed);

        // when it is written twice (the second time from the cache) then both equal the mapper's bytes
        String expected = MAPPER.writeValueAsString(tree);
        assertThat(RequestBodies.json(tree)).isEqualTo(expected);
        assertThat(RequestBodies.json(tree)).isEqualTo(expected);
    }

    @Property(tries = 300)
    void shouldWriteAsUtf8TheVeryBytesOfItsJsonForAnyTree(@ForAll("seeds") long seed) {
        // given any tree, long texts among short ones, with or without surrogates (paired or alone)
        ObjectNode tree = anyTree(seed);
        byte[] expected = RequestBodies.json(tree).getBytes(StandardCharsets.UTF_8);

        // when it is written as UTF-8 twice (the second time its long texts from the cache)
        byte[] first = RequestBodies.utf8(tree);
        byte[] second = RequestBodies.utf8(tree);

        // then both are the bytes of its JSON text: what its hash names and what a provider is sent
        assertThat(first).isEqualTo(expected);
        assertThat(second).isEqualTo(expected);
    }

    @Property(tries = 300)
    void shouldEscapeABodyAgainAsAGeneratorWritesItsTextInsideAString(@ForAll("seeds") long seed) throws Exception {
        // given any tree's body as UTF-8, its long texts (if any) written from the cache
        ObjectNode tree = anyTree(seed);
        RequestBodies.Utf8Body body = RequestBodies.utf8Body(tree);

        // when it is escaped once more, to be stored inside an event
        byte[] again = body.escapedAgain();

        // then it is what a UTF-8 generator writes between the quotes of the body's text, or left to the generator
        // (null) exactly when that text holds a surrogate
        String text = RequestBodies.json(tree);
        assertThat(body.text().getBytes(StandardCharsets.UTF_8)).isEqualTo(body.bytes());
        if (RequestBodies.hasSurrogate(text)) {
            assertThat(again).isNull();
        } else {
            byte[] quoted = MAPPER.writeValueAsBytes(text);
            assertThat(again).isEqualTo(Arrays.copyOfRange(quoted, 1, quoted.length - 1));
        }
    }

    @Property(tries = 300)
    void shouldCutOutTheFirstLongTextSoThatPuttingItBackGivesTheBody(@ForAll("seeds") long seed) throws Exception {
        // given any tree's body as UTF-8, its long texts (if any) written from the cache
        ObjectNode tree = anyTree(seed);
        RequestBodies.Utf8Body body = RequestBodies.utf8Body(tree);
        String text = RequestBodies.json(tree);

        // when its first long text is cut out, to be stored once
        RequestBodies.CutBody cut = body.cut();

        // then there is none to cut exactly when the body has no long text written from the cache
        if (cut == null) {
            assertThat(body.escapedAgain() == null || !RequestBodies.EscapedTexts.holdsUtf8(firstLongText(tree)))
                    .as("a body with a cached long text and no surrogate is cut").isTrue();
            return;
        }
        // and putting the text back where it lay, counted in chars (and in code points, as Postgres counts), gives the
        // body; the text is stored under the SHA-256 of its UTF-8, and the cut body escapes as a generator escapes it
        String cutText = cut.text();
        assertThat(cutText.codePointCount(0, cut.at())).isEqualTo(cut.at());
        assertThat(new RequestBodyStored("e", 2, null, "h", cut.longTextHash(), cut.at(),
                cutText).restored(cut.longText())).isEqualTo(text);
        byte[] longText = MAPPER.writeValueAsBytes(firstLongText(tree));
        assertThat(cut.longText().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Arrays.copyOfRange(longText, 1, longText.length - 1));
        assertThat(cut.longTextHash()).isEqualTo(RequestBodyStored.hashOf(cut.longText()));
        byte[] quoted = MAPPER.writeValueAsBytes(cutText);
        assertThat(cut.escapedAgain()).isEqualTo(Arrays.copyOfRange(quoted, 1, quoted.length - 1));
    }

    /** The first text of the tree, in writing order, that the cache takes (a long one). */
    private static String firstLongText(JsonNode node) {
        if (node.isTextual()) {
            return RequestBodies.EscapedTexts.fits(node.textValue()) ? node.textValue() : null;
        }
        for (JsonNode child : node) {
            String found = firstLongText(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    @Property(tries = 50)
    void shouldCopyALongTextWithoutSurrogatesFromItsEscapedUtf8(@ForAll("seeds") long seed) {
        // given a body whose long text has no surrogate
        Random random = new Random(seed);
        String[] pieces = Arrays.stream(PIECES).filter(p -> !RequestBodies.hasSurrogate(p)).toArray(String[]::new);
        String shared = text(random, pieces, RequestBodies.EscapedTexts.MIN_CHARS + random.nextInt(6000));
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("before", text(random, pieces, 20))
                .put("content", shared).put("after", text(random, pieces, 20));

        // when it is written as UTF-8
        byte[] written = RequestBodies.utf8(tree);

        // then its long text is kept escaped as UTF-8 (to be copied into the next body), and its bytes are its JSON's
        assertThat(RequestBodies.EscapedTexts.holdsUtf8(shared)).isTrue();
        assertThat(written).isEqualTo(RequestBodies.json(tree).getBytes(StandardCharsets.UTF_8));
    }

    /** A tree of any shape, with a long text shared by some of its nodes, from the pieces of one palette. */
    private static ObjectNode anyTree(long seed) {
        Random random = new Random(seed);
        String[] pieces = palette(random);
        String shared = text(random, pieces, RequestBodies.EscapedTexts.MIN_CHARS + random.nextInt(6000));
        return object(random, pieces, 0, shared);
    }

    /** Some of the pieces, so that a tree may lack the escapes, the non-ASCII or the surrogates altogether. */
    private static String[] palette(Random random) {
        List<String> chosen = new ArrayList<>();
        for (String piece : PIECES) {
            if (random.nextBoolean()) {
                chosen.add(piece);
            }
        }
        return chosen.isEmpty() ? new String[]{"a"} : chosen.toArray(String[]::new);
    }

    @Property(tries = 20)
    void shouldEscapeAHugeTextEachTimeRatherThanHoldIt(@ForAll("seeds") long seed) throws Exception {
        // given a body whose text is above the cache's bound
        Random random = new Random(seed);
        String[] pieces = palette(random);
        String huge = text(random, pieces, RequestBodies.EscapedTexts.MAX_CHARS + 1 + random.nextInt(1000));
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("content", huge);

        // when it is written, then it is written as the mapper writes it, and not held
        assertThat(RequestBodies.json(tree)).isEqualTo(MAPPER.writeValueAsString(tree));
        assertThat(RequestBodies.utf8(tree)).isEqualTo(MAPPER.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
        assertThat(RequestBodies.EscapedTexts.holds(huge)).isFalse();
    }

    private static ObjectNode object(Random random, String[] pieces, int depth, String shared) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            node.set(text(random, pieces, random.nextInt(12)) + i, value(random, pieces, depth + 1, shared));
        }
        return node;
    }

    private static JsonNode value(Random random, String[] pieces, int depth, String shared) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (random.nextInt(depth > 3 ? 7 : 9)) {
            case 0: return f.textNode(shared);
            case 1: return f.textNode(text(random, pieces, random.nextInt(3000)));
            case 2: return f.numberNode(random.nextInt());
            case 3: return f.numberNode(random.nextDouble() * 10);
            case 4: return f.booleanNode(random.nextBoolean());
            case 5: return f.nullNode();
            case 6: return f.textNode(text(random, pieces, RequestBodies.EscapedTexts.MIN_CHARS + random.nextInt(200)));
            case 7: {
                ArrayNode array = f.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.add(value(random, pieces, depth + 1, shared));
                }
                return array;
            }
            default: return object(random, pieces, depth, shared);
        }
    }

    private static String text(Random random, String[] pieces, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
