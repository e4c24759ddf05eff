package io.apexaudition.events;

import java.util.List;

/**
 * The judge's instructions ({@code config/judging/rubric.yaml}): for rubric judging, the criteria, each scored on
 * the scale {@code scaleMin..scaleMax}, with the instruction and the answer format; for pairwise judging, its own
 * instruction and answer format. Carried in the command, so a pass is judged by the rubric it was sent with.
 */
public record JudgingRubric(
        String name,
        String instruction,
        List<Criterion> criteria,
        int scaleMin,
        int scaleMax,
        String answerFormat,
        String pairwiseInstruction,
        String pairwiseAnswerFormat) {

    /** One thing the judge scores, and what it means. */
    public record Criterion(String name, String description) {
    }

    public JudgingRubric {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
    }

    public List<String> criterionNames() {
        return criteria.stream().map(Criterion::name).toList();
    }
}
