package io.apexaudition.core.judging;

/** A judge's pairwise answer, parsed and checked: the position preferred, and the margin (0 for a tie, else 1..3). */
public record PairwiseAnswer(Winner winner, int margin) {
}
