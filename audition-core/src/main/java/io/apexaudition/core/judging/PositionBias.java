package io.apexaudition.core.judging;

/**
 * How much a judge's verdicts follow the position rather than the pieces. Over the pairs one judge saw in both
 * orders on one prompt: how many there were and in how many the two orders disagree about the lanes (the winner
 * flips with the position, or one order ties and the other does not). Over every decisive judgment: how often
 * the piece shown first won (0.5 when position does not matter). A rate is null when nothing was counted.
 */
public record PositionBias(int pairsInBothOrders, int disagreements, Double disagreementRate, int decisive,
                           int positionAWins, Double positionAWinRate) {
}
