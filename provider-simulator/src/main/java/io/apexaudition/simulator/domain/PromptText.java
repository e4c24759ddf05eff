package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;

/** Extracts the text a provider would tokenize from message content (a string or an array of text blocks). */
final class PromptText {
    private PromptText() {
    }

    static String of(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode block : content) {
                sb.append(block.path("text").asText(""));
            }
        }
        return sb.toString();
    }
}
