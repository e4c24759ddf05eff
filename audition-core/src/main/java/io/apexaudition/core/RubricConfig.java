package io.apexaudition.core;

import io.apexaudition.events.JudgingRubric;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A rubric file such as {@code config/judging/rubric.yaml}: the judges' instructions, read strictly and checked,
 * then carried in the judging command as a {@link JudgingRubric}.
 */
public record RubricConfig(String name, Scale scale, String instruction, List<Criterion> criteria,
                           String answerFormat, Pairwise pairwise) {
    /** Longest instruction, answer format or description: a judge's instructions, not a document. */
    public static final int MAX_TEXT_CHARS = 20_000;

    /** The range every criterion is scored in. */
    public record Scale(Integer min, Integer max) {
    }

    /** One criterion and what it means. */
    public record Criterion(String name, String description) {
    }

    /** Pairwise judging's own instruction and answer format. */
    public record Pairwise(String instruction, String answerFormat) {
    }

    public RubricConfig {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
    }

    public static JudgingRubric load(Path file) {
        RubricConfig config = Yaml.read(file, RubricConfig.class);
        JudgingRubric rubric = config.toRubric();
        List<String> problems = problems(rubric);
        if (!problems.isEmpty()) {
            throw new ConfigException(file + " is not a usable rubric: " + String.join("; ", problems)
                    + " (see config/judging/rubric.yaml)");
        }
        return rubric;
    }

    JudgingRubric toRubric() {
        return new JudgingRubric(name, instruction,
                criteria.stream().map(c -> c == null ? null : new JudgingRubric.Criterion(c.name(), c.description()))
                        .toList(),
                scale == null || scale.min() == null ? 0 : scale.min(),
                scale == null || scale.max() == null ? 0 : scale.max(), answerFormat,
                pairwise == null ? null : pairwise.instruction(), pairwise == null ? null : pairwise.answerFormat());
    }

    /**
     * Every problem of a rubric, empty when judges can be sent with it: the planner applies the same check to a
     * command's rubric, so one written by hand is held to the file's rules.
     */
    public static List<String> problems(JudgingRubric rubric) {
        List<String> problems = new ArrayList<>();
        if (rubric == null) {
            return List.of("the command has no rubric: give one (apex judge reads config/judging/rubric.yaml)");
        }
        if (blank(rubric.name())) {
            problems.add("'name' is missing: name the rubric, e.g. creative-writing-v1");
        }
        if (blank(rubric.instruction())) {
            problems.add("'instruction' is missing: tell the judge what it judges");
        }
        if (blank(rubric.answerFormat())) {
            problems.add("'answer_format' is missing: say the JSON the judge answers with");
        }
        if (rubric.scaleMin() >= rubric.scaleMax()) {
            problems.add("'scale' must run from a minimum up to a larger maximum, not " + rubric.scaleMin() + ".."
                    + rubric.scaleMax() + ": e.g. {min: 1, max: 10}");
        }
        if (rubric.criteria().isEmpty()) {
            problems.add("'criteria' is empty: list at least one {name, description}");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rubric.criteria().size(); i++) {
            JudgingRubric.Criterion c = rubric.criteria().get(i);
            if (c == null || blank(c.name())) {
                problems.add("criterion " + (i + 1) + " has no name");
                continue;
            }
            if (!c.name().matches("[A-Za-z][A-Za-z0-9_]{0,39}")) {
                problems.add("criterion '" + TextChecks.printable(c.name(), 60) + "' is not a plain name: use letters,"
                        + " digits and _ (a JSON key the judge repeats)");
            }
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                problems.add("criterion '" + c.name() + "' is named twice");
            }
            if (blank(c.description())) {
                problems.add("criterion '" + c.name() + "' has no description: say what the judge looks for");
            }
        }
        if (blank(rubric.pairwiseInstruction()) || blank(rubric.pairwiseAnswerFormat())) {
            problems.add("'pairwise' needs an instruction and an answer_format (used by apex judge --pairwise)");
        }
        TextChecks.identifier("the rubric's name", rubric.name()).ifPresent(problems::add);
        TextChecks.prose("the rubric's instruction", rubric.instruction(), MAX_TEXT_CHARS).ifPresent(problems::add);
        TextChecks.prose("the rubric's answer_format", rubric.answerFormat(), MAX_TEXT_CHARS).ifPresent(problems::add);
        TextChecks.prose("the rubric's pairwise instruction", rubric.pairwiseInstruction(), MAX_TEXT_CHARS)
                .ifPresent(problems::add);
        TextChecks.prose("the rubric's pairwise answer_format", rubric.pairwiseAnswerFormat(), MAX_TEXT_CHARS)
                .ifPresent(problems::add);
        for (JudgingRubric.Criterion c : rubric.criteria()) {
            if (c != null) {
                TextChecks.prose("criterion description", c.description(), MAX_TEXT_CHARS).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
