package io.apexaudition.cli.bench;

import io.apexaudition.core.LaneDefinition;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.ModelSpec;
import io.apexaudition.core.PromptSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The bench's synthetic audition: lanes generated from the model catalog (settings varied within each model's
 * rules: temperature steps for standard models, reasoning efforts for reasoning models, token budgets when the
 * steps run out) and prompts of the seed's shape (a short brief plus the shared house-style context).
 */
public final class BenchWorkload {
    static final String LANE_PREFIX = "bench.";
    static final String PROMPT_PREFIX = "bench-p";
    private static final int TEMPERATURE_STEPS = 11;
    private static final String[] FORMS = {"sonnet", "villanelle", "flash fiction", "fable", "monologue", "ballad",
            "prose poem", "letter", "haiku sequence", "short story"};
    private static final String[] SUBJECTS = {"a lighthouse keeper's last log", "a ferry timetable", "a seed vault",
            "a lost umbrella office", "an allotment in winter", "a night bus", "a reservoir bell", "a spare key",
            "a quince tree", "a printer that remembers"};

    private BenchWorkload() {
    }

    /** {@code count} distinct lanes, round-robin over the catalog's models (sorted by id). */
    public static List<LaneDefinition> lanes(ModelCatalog catalog, int count) {
        List<ModelSpec> models = catalog.models().stream().sorted(Comparator.comparing(ModelSpec::id)).toList();
        int[] nth = new int[models.size()];
        List<LaneDefinition> lanes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int m = i % models.size();
            lanes.add(lane(models.get(m), nth[m]++));
        }
        return lanes;
    }

    /** The k-th lane of a model: a different setting (or, past the settings, a different token budget). */
    static LaneDefinition lane(ModelSpec model, int k) {
        String slug = LANE_PREFIX + model.id() + "." + String.format(Locale.ROOT, "%02d", k);
        if (model.kind() == ModelSpec.Kind.REASONING && !model.reasoningEfforts().isEmpty()) {
            List<String> efforts = model.reasoningEfforts();
            String effort = efforts.get(k % efforts.size());
            int budget = Math.min(model.outputTokenCap(), 8000 + 1000 * (k / efforts.size()));
            boolean completionTokens = !"max_tokens".equals(model.tokenParameter());
            return new LaneDefinition(slug, model.id(), "bench: reasoning " + effort + ", " + budget + " tokens",
                    null, null, completionTokens ? null : budget, completionTokens ? budget : null, effort, null, null);
        }
        Double temperature = null;
        if (model.acceptsTemperature()) {
            double min = model.temperature().min();
            double max = model.temperature().max();
            temperature = Math.round((min + (max - min) * (k % TEMPERATURE_STEPS) / (TEMPERATURE_STEPS - 1)) * 100) / 100.0;
        }
        int budget = Math.min(model.outputTokenCap(), 6000 + 1000 * (k / TEMPERATURE_STEPS));
        boolean completionTokens = "max_completion_tokens".equals(model.tokenParameter());
        return new LaneDefinition(slug, model.id(), "bench: temperature " + temperature + ", " + budget + " tokens",
                temperature, null, completionTokens ? null : budget, completionTokens ? budget : null, null, null, null);
    }

    /** {@code count} prompts of the seed's shape, each with the shared context (the house style guide). */
    public static List<PromptSpec> prompts(int count, String sharedContext) {
        List<PromptSpec> prompts = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String form = FORMS[i % FORMS.length];
            String subject = SUBJECTS[(i / FORMS.length) % SUBJECTS.length];
            String text = "Write a " + form + " about " + subject + " (bench prompt " + i + "). Let one concrete object "
                    + "carry the feeling and return, changed in meaning, at the end. Use no abstract nouns for "
                    + "emotion; keep the diction plain and the images exact. Length: what the form asks, plus a title.";
            prompts.add(new PromptSpec(promptId(i), "Bench " + i + ": " + form, form, text, sharedContext));
        }
        return prompts;
    }

    static String promptId(int i) {
        return PROMPT_PREFIX + String.format(Locale.ROOT, "%05d", i);
    }
}
