package io.apexaudition.core.judging;

/** One presentation to a judge: lane {@code laneA}'s piece shown first, {@code laneB}'s second. */
public record Matchup(String laneA, String laneB) {
}
