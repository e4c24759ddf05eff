package io.apexaudition.core;

import io.apexaudition.events.LaneParameters;

/**
 * A lane as written in a benchmark file. Keys left out stay out of the request: nothing is filled in
 * silently, and nothing written is changed before it is sent.
 */
public record LaneDefinition(
        String slug,
        String model,
        String description,
        Double temperature,
        Double topP,
        Integer maxTokens,
        Integer maxCompletionTokens,
        String reasoningEffort,
        Boolean thinkingEnabled,
        Integer thinkingBudgetTokens) {

    public boolean thinking() {
        return Boolean.TRUE.equals(thinkingEnabled) || thinkingBudgetTokens != null;
    }

    /** The parameters exactly as the provider will receive them. */
    public LaneParameters parameters() {
        return new LaneParameters(temperature, maxTokens, maxCompletionTokens, reasoningEffort,
                Boolean.TRUE.equals(thinkingEnabled) ? thinkingBudgetTokens : null, topP);
    }
}
