package io.apexaudition.core.judging;

/**
 * A lane's mean score on one criterion over {@code n} prompts, with its t interval (null below two prompts,
 * where there is no spread to estimate).
 */
public record CriterionSummary(String lane, String criterion, double mean, Double lower, Double upper, int n) {
}
