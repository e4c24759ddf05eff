package io.apexaudition.viewer.domain;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A run's generations in error (the seed's "View Errors"), one page of them, with what {@code apex retry} would do:
 * {@code resendable} counts the errors it would send again (of the lanes filtered to, whatever the kind filter),
 * {@code command} is the command to run, null when it would send nothing.
 */
public record RunErrors(String runId, String runStatus, long total, long resendable, String command,
        List<String> retryableKinds, List<KindCount> kinds, List<String> lanes, List<String> laneFilter,
        List<String> kindFilter, int page, int size, int totalPages, long matching, List<ErrorRow> rows) {

    /** How many errors of one kind the run has (within the lane filter), and whether apex retry resends them. */
    public record KindCount(String kind, long count, boolean retryable) {
    }

    /** One generation in error: where, why (the provider's message), which attempt, and whether it is resent. */
    public record ErrorRow(String generationId, String laneId, String promptId, String title, Integer replicate,
            int attempt, String provider, String model, String batchId, String errorKind, String errorMessage,
            OffsetDateTime completedAt, boolean resend) {
    }
}
