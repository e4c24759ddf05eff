package io.apexaudition.planner.rest;

/** What happened to one lane or prompt of a registration: {@code registered} (a new version) or {@code unchanged}. */
public record RegistrationResult(String id, String outcome, int version, String conditionId) {
}
