package io.apexaudition.events;

/**
 * Token usage of one generation, normalised across providers: {@code inputTokens} is every input token
 * including cached reads and cache writes (OpenAI's prompt_tokens; Anthropic's input + cache read + cache
 * creation).
 */
public record Usage(
        long inputTokens,
        long cachedInputTokens,
        long cacheWriteTokens,
        long outputTokens,
        long reasoningTokens) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
}
