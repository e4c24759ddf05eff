package io.apexaudition.core;

import io.apexaudition.events.Providers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks lanes against the providers' rules (see shared/providers.md) and the catalog before anything is
 * paid for. It reports every problem of every lane at once, each with the rule, the offending value and a
 * valid alternative; it never changes a parameter.
 */
public final class LaneValidator {
    /** Slugs appear in record keys ({@code runId/slug}) and custom ids: no slash, no spaces. */
    static final Pattern SLUG = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    static final int MIN_THINKING_BUDGET = 1024;

    private final ModelCatalog catalog;

    public LaneValidator(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    public List<LaneProblem> validate(List<LaneDefinition> lanes) {
        List<LaneProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LaneDefinition lane : lanes) {
            String slug = lane.slug() == null ? "(no slug)" : lane.slug();
            if (lane.slug() == null || !SLUG.matcher(lane.slug()).matches()) {
                problems.add(new LaneProblem(slug, "slug.format", "slug '" + lane.slug() + "'",
                        "use letters, digits, '.', '_' or '-' (at most 64), e.g. 'sonnet.t0-8.std'"));
            } else if (!seen.add(lane.slug())) {
                problems.add(new LaneProblem(slug, "slug.duplicate", "slug '" + lane.slug() + "' appears twice",
                        "give each lane its own slug"));
            }
            var model = lane.model() == null ? java.util.Optional.<ModelSpec>empty() : catalog.model(lane.model());
            if (model.isEmpty()) {
                problems.add(new LaneProblem(slug, "model.unknown", "model '" + lane.model() + "'",
                        "use one of " + catalog.byId().keySet().stream().sorted().toList()
                                + ", or add the model to config/models.yaml"));
                continue;
            }
            validate(slug, lane, model.get(), problems);
        }
        return problems;
    }

    private void validate(String slug, LaneDefinition lane, ModelSpec model, List<LaneProblem> problems) {
        boolean openai = Providers.OPENAI.equals(model.provider());
        boolean reasoning = model.kind() == ModelSpec.Kind.REASONING;
        Integer budget = openai ? (lane.maxCompletionTokens() != null ? lane.maxCompletionTokens() : lane.maxTokens())
                : lane.maxTokens();

        // token budget: which parameter, present, within the cap
        if (openai && reasoning && lane.maxTokens() != null) {
            problems.add(new LaneProblem(slug, "openai.reasoning.max_tokens", "max_tokens: " + lane.maxTokens()
                    + " on reasoning model " + model.id(), "use max_completion_tokens: " + lane.maxTokens()
                    + " (reasoning models count visible and reasoning tokens there)"));
        }
        if (!openai && lane.maxCompletionTokens() != null) {
            problems.add(new LaneProblem(slug, "anthropic.max_completion_tokens", "max_completion_tokens: "
                    + lane.maxCompletionTokens(), "use max_tokens: " + lane.maxCompletionTokens()
                    + " (the Messages API has no max_completion_tokens)"));
        }
        if (budget == null) {
            problems.add(new LaneProblem(slug, "budget.missing", "no token budget",
                    "set " + model.tokenParameter() + " (the seed uses 36000 for reasoning models, 6000 otherwise)"));
        } else if (budget > model.outputTokenCap() && !lane.thinking()) {
            problems.add(new LaneProblem(slug, "max_tokens.cap", model.tokenParameter() + ": " + budget
                    + " is above " + model.displayName() + "'s output cap of " + model.outputTokenCap(),
                    "use at most " + model.outputTokenCap()));
        } else if (budget < 1) {
            problems.add(new LaneProblem(slug, "budget.positive", model.tokenParameter() + ": " + budget,
                    "use a positive number of tokens"));
        }

        // temperature and top_p
        if (lane.temperature() != null) {
            if (!model.acceptsTemperature()) {
                problems.add(new LaneProblem(slug, "temperature.unsupported", "temperature: " + lane.temperature()
                        + " on " + model.displayName() + ", which takes no temperature",
                        "remove the temperature key entirely; vary reasoning_effort "
                                + model.reasoningEfforts() + " instead"));
            } else if (!model.temperature().contains(lane.temperature())) {
                problems.add(new LaneProblem(slug, "temperature.range", "temperature: " + lane.temperature()
                        + " is outside " + model.displayName() + "'s range " + model.temperature().min() + " to "
                        + model.temperature().max(), lane.thinking() ? "leave temperature out (with thinking only 1 "
                        + "is accepted)" : "use a value from " + model.temperature().min() + " to "
                        + model.temperature().max() + ", e.g. " + model.temperature().max()));
            }
        }
        if (lane.topP() != null && lane.temperature() != null && Boolean.FALSE.equals(model.temperatureWithTopP())) {
            problems.add(new LaneProblem(slug, "top_p.with_temperature", "temperature and top_p together on "
                    + model.displayName(), "keep only one of temperature and top_p"));
        }

        // reasoning effort
        if (lane.reasoningEffort() != null && !model.reasoningEfforts().contains(lane.reasoningEffort())) {
            problems.add(new LaneProblem(slug, "reasoning_effort.unsupported", "reasoning_effort: "
                    + lane.reasoningEffort() + " on " + model.displayName(), model.reasoningEfforts().isEmpty()
                    ? "remove reasoning_effort (" + model.displayName() + " is not a reasoning model)"
                    : "use one of " + model.reasoningEfforts()));
        }

        // extended thinking
        if (Boolean.FALSE.equals(lane.thinkingEnabled()) && lane.thinkingBudgetTokens() != null) {
            problems.add(new LaneProblem(slug, "thinking.budget_without_thinking", "thinking_budget_tokens: "
                    + lane.thinkingBudgetTokens() + " with thinking_enabled: false",
                    "set thinking_enabled: true, or remove thinking_budget_tokens"));
        }
        if (!Boolean.TRUE.equals(lane.thinkingEnabled())) {
            return;
        }
        if (!model.extendedThinking()) {
            problems.add(new LaneProblem(slug, "thinking.unsupported", "thinking_enabled on " + model.displayName(),
                    openai && reasoning ? "remove thinking; use reasoning_effort " + model.reasoningEfforts()
                            : "remove thinking, or use a Claude model"));
            return;
        }
        Integer thinking = lane.thinkingBudgetTokens();
        if (thinking == null) {
            problems.add(new LaneProblem(slug, "thinking.budget.missing", "thinking_enabled without "
                    + "thinking_budget_tokens", "set thinking_budget_tokens (at least " + MIN_THINKING_BUDGET
                    + ", below max_tokens), e.g. 16000"));
            return;
        }
        if (thinking < MIN_THINKING_BUDGET) {
            problems.add(new LaneProblem(slug, "thinking.budget.min", "thinking_budget_tokens: " + thinking,
                    "use at least " + MIN_THINKING_BUDGET));
        }
        if (lane.temperature() != null && lane.temperature() != 1.0) {
            problems.add(new LaneProblem(slug, "thinking.temperature", "temperature: " + lane.temperature()
                    + " with extended thinking", "leave temperature out: with thinking enabled the API accepts "
                    + "only 1 (name the lane for what it sends, e.g. '.t1-0.ext')"));
        }
        if (lane.maxTokens() != null) {
            if (thinking >= lane.maxTokens()) {
                problems.add(new LaneProblem(slug, "thinking.budget.not_below_max_tokens", "thinking_budget_tokens: "
                        + thinking + " is not below max_tokens: " + lane.maxTokens(), "raise max_tokens to "
                        + Math.min(model.outputTokenCap(), thinking + 6000) + " or lower the budget"));
            } else if (lane.maxTokens() > model.outputTokenCap()) {
                int visible = lane.maxTokens() - thinking;
                int newBudget = Math.max(MIN_THINKING_BUDGET, ((model.outputTokenCap() - visible) / 1000) * 1000 - 2000);
                problems.add(new LaneProblem(slug, "max_tokens.cap", "max_tokens: " + lane.maxTokens() + " ("
                        + visible + " + " + thinking + " thinking) is above " + model.displayName()
                        + "'s output cap of " + model.outputTokenCap(), "thinking_budget_tokens: " + newBudget
                        + " with max_tokens: " + (newBudget + visible) + " (" + visible + " for the piece)"));
            }
        }
    }
}
