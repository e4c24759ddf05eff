package io.apexaudition.core.judging;

/**
 * How often two judges reach the same verdict on the same (prompt, pair), over the {@code pairs} both judged;
 * Cohen's kappa discounts the agreement two judges would reach by chance with their own habits (null when chance
 * alone would make them always agree). A rate is null when they judged no pair in common.
 */
public record JudgeAgreement(String judge, String otherJudge, int pairs, int agreements, Double agreementRate,
                             Double kappa) {
}
