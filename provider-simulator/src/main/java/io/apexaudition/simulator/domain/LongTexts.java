package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consumes request bodies the simulator keeps (batch items, ledger entries); produces the same bodies with every
 * long text shared. An audition sends one multi-kilobyte house-style context in every request, and keeping a copy
 * per request is most of what 100,000 requests would hold.
 */
public final class LongTexts {
    static final int SHARED_FROM_CHARS = 1024;
    private static final int REMEMBERED = 256;

    private static final Map<String, TextNode> SHARED = new LinkedHashMap<>(REMEMBERED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TextNode> eldest) {
            return size() > REMEMBERED;
        }
    };

    private LongTexts() {
    }

    /** Replaces, in place, every text value of at least {@value #SHARED_FROM_CHARS} chars by a shared one. */
    public static JsonNode share(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (isLong(value)) {
                    field.setValue(shared((TextNode) value));
                } else {
                    share(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (isLong(value)) {
                    array.set(i, shared((TextNode) value));
                } else {
                    share(value);
                }
            }
        }
        return node;
    }

    private static boolean isLong(JsonNode value) {
        return value instanceof TextNode && value.textValue().length() >= SHARED_FROM_CHARS;
    }

    private static TextNode shared(TextNode text) {
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(text.textValue(), k -> text);
        }
    }
}
