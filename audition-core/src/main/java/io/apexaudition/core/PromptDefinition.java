package io.apexaudition.core;

/** One prompt file of {@code config/prompts/}. */
public record PromptDefinition(String id, String title, String genre, String text, String sharedContextFile) {
}
