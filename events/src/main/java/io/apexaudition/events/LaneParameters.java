package io.apexaudition.events;

/**
 * The exact generation parameters of a lane, as the provider receives them. A null field is a key that
 * is left out of the request entirely (never a default silently filled in).
 */
public record LaneParameters(
        Double temperature,
        Integer maxTokens,
        Integer maxCompletionTokens,
        String reasoningEffort,
        Integer thinkingBudgetTokens,
        Double topP) {

    public LaneParameters(Double temperature, Integer maxTokens, Integer maxCompletionTokens, String reasoningEffort,
                          Integer thinkingBudgetTokens) {
        this(temperature, maxTokens, maxCompletionTokens, reasoningEffort, thinkingBudgetTokens, null);
    }

    public boolean thinkingEnabled() {
        return thinkingBudgetTokens != null;
    }
}
