package io.apexaudition.events;

/** One lane of an accepted run and how many generations it will produce. */
public record PlannedLane(
        String conditionId,
        String slug,
        String provider,
        String model,
        int expectedGenerations) {
}
