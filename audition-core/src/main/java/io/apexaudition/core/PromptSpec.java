package io.apexaudition.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** A prompt with its shared context resolved: exactly what a {@code PromptIngested} records. */
public record PromptSpec(String id, String title, String genre, String text, String sharedContext) {

    /** Changes when anything the model sees changes (text or shared context), or its title or genre. */
    public String contentHash() {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("title", title);
        content.put("genre", genre);
        content.put("text", text);
        content.put("sharedContext", sharedContext);
        return Hashes.ofCanonicalJson(content);
    }
}
