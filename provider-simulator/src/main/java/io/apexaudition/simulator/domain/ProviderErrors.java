package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The two providers' error bodies, shared by synchronous answers and batch result lines. */
public final class ProviderErrors {
    private ProviderErrors() {
    }

    /** {@code {"error":{"message","type","param","code"}}}; param and code are explicit nulls when absent. */
    public static ObjectNode openAi(String message, String type, String param, String code) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }

    public static ObjectNode openAi(Violation v) {
        return openAi(v.message(), v.type(), v.param(), v.code());
    }

    /** {@code {"type":"error","error":{"type","message"}}}. */
    public static ObjectNode anthropic(String type, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return root;
    }

    public static ObjectNode anthropic(Violation v) {
        return anthropic(v.type(), v.message());
    }
}
