package io.apexaudition.core.judging;

import java.util.Map;

/** One judge's rubric scores for one lane's piece on one prompt, by criterion. */
public record RubricScore(String promptId, String judge, String lane, Map<String, Double> scores) {

    public RubricScore {
        scores = Map.copyOf(scores);
    }
}
