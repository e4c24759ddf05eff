package io.apexaudition.core.judging;

import java.util.Objects;

/**
 * One pairwise verdict: on prompt {@code promptId}, judge {@code judge} saw lane {@code laneA}'s piece first and
 * {@code laneB}'s second, and preferred {@code winner} by {@code margin} (0 for a tie, otherwise 1 slight to 3
 * decisive). A human verdict is a judgment whose judge is the human, so it counts as a judge of its own.
 */
public record Judgment(String promptId, String judge, String laneA, String laneB, Winner winner, int margin) {

    public Judgment {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(laneA, "laneA");
        Objects.requireNonNull(laneB, "laneB");
        Objects.requireNonNull(winner, "winner");
        if (laneA.equals(laneB)) {
            throw new IllegalArgumentException("a lane cannot be judged against itself: " + laneA);
        }
    }

    /** The winning lane, or null for a tie: what the verdict says about the lanes, whatever their positions. */
    public String winningLane() {
        return switch (winner) {
            case A -> laneA;
            case B -> laneB;
            case TIE -> null;
        };
    }
}
