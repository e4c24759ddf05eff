package io.apexaudition.core.judging;

import java.util.Map;

/** A judge's rubric answer, parsed and checked: a score per criterion of the rubric, and the rationale (or null). */
public record RubricAnswer(Map<String, Double> scores, String rationale) {

    public RubricAnswer {
        scores = Map.copyOf(scores);
    }
}
