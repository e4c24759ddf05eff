package io.apexaudition.viewer.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One run as the runs page lists it: who started it and why, its generations counted by status, and its cost so far
 * (summed from its generations, so a running run shows what it has spent, not only a finished run's total), and
 * whether a judging pass judged it ({@code judged}: it has a leaderboard).
 */
public record RunSummary(String id, String status, String mode, Boolean dryRun, String createdBy, String notes,
        Integer expectedGenerations, long generations, Map<String, Long> counts, BigDecimal costUsd,
        OffsetDateTime acceptedAt, OffsetDateTime completedAt, OffsetDateTime rejectedAt, String reason,
        boolean judged) {
}
