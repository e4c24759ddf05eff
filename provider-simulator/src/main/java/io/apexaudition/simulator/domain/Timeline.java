package io.apexaudition.simulator.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Consumes a batch's creation time, the phase durations in effect then and its expiry plan; produces, for any
 * instant, the phase the batch is in and how many of its requests are done. Nothing runs in the background:
 * every read recomputes from the clock, which is why advancing the clock advances every batch.
 */
public final class Timeline {
    public static final Duration COMPLETION_WINDOW = Duration.ofHours(24);

    public enum Phase {
        VALIDATING, FAILED, IN_PROGRESS, FINALIZING, COMPLETED, EXPIRED, CANCELLING, CANCELLED;

        public boolean terminal() {
            return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
        }

        /** Terminal with results to deliver. */
        public boolean delivers() {
            return this == COMPLETED || this == EXPIRED || this == CANCELLED;
        }
    }

    private final Instant createdAt;
    private final Instant startedAt;
    private final Instant processingEndsAt;
    private final Instant finalizedAt;
    private final Instant expiresAt;
    private final Duration processing;
    private final Duration finalizing;
    private final int scheduled;
    private final boolean forcedExpiry;
    private final boolean failsValidation;
    private Instant cancelAt;
    private Instant cancelEndsAt;

    /**
     * @param forcedExpiry      expire at the end of processing (fault injection), with only
     *                          {@code completedFraction} of the requests done
     * @param failsValidation   end in {@code failed} once validation is over
     */
    public Timeline(Instant createdAt, Settings.Phases phases, int total, boolean forcedExpiry,
                    double completedFraction, boolean failsValidation) {
        this.createdAt = createdAt;
        this.startedAt = createdAt.plus(phases.validating());
        this.processing = phases.inProgress();
        this.finalizing = phases.finalizing();
        this.processingEndsAt = startedAt.plus(processing);
        this.finalizedAt = processingEndsAt.plus(finalizing);
        this.expiresAt = createdAt.plus(COMPLETION_WINDOW);
        this.forcedExpiry = forcedExpiry;
        this.failsValidation = failsValidation;
        this.scheduled = forcedExpiry ? (int) Math.floor(total * completedFraction) : total;
    }

    public synchronized Phase phaseAt(Instant now) {
        if (cancelAt != null) {
            return now.isBefore(cancelEndsAt) ? Phase.CANCELLING : Phase.CANCELLED;
        }
        if (now.isBefore(startedAt)) {
            return Phase.VALIDATING;
        }
        if (failsValidation) {
            return Phase.FAILED;
        }
        if (expires() && !now.isBefore(expiryAt())) {
            return Phase.EXPIRED;
        }
        if (now.isBefore(processingEndsAt)) {
            return Phase.IN_PROGRESS;
        }
        return now.isBefore(finalizedAt) ? Phase.FINALIZING : Phase.COMPLETED;
    }

    /** When the batch entered its terminal phase, or null while it is still running. */
    public synchronized Instant endedAt(Instant now) {
        switch (phaseAt(now)) {
            case FAILED:
                return startedAt;
            case EXPIRED:
                return expiryAt();
            case CANCELLED:
                return cancelEndsAt;
            case COMPLETED:
                return finalizedAt;
            default:
                return null;
        }
    }

    /** Requests done by {@code now}, in processing order; the rest never finish once cancelled or expired. */
    public synchronized int doneCount(Instant now) {
        Instant limit = now;
        if (cancelAt != null && cancelAt.isBefore(limit)) {
            limit = cancelAt;
        }
        if (expires() && expiryAt().isBefore(limit)) {
            limit = expiryAt();
        }
        if (failsValidation || limit.isBefore(startedAt)) {
            return 0;
        }
        int low = 0;
        int high = scheduled;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (doneAt(mid).isAfter(limit)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** When request {@code index} (processing order) finishes if nothing stops it first. */
    public Instant doneAt(int index) {
        int spread = Math.max(1, scheduled);
        return startedAt.plus(processing.multipliedBy(index + 1L).dividedBy(spread));
    }

    /** Starts cancelling at {@code now}; false when the batch is past the point where cancelling applies. */
    public synchronized boolean cancel(Instant now) {
        Phase phase = phaseAt(now);
        if (phase != Phase.VALIDATING && phase != Phase.IN_PROGRESS) {
            return false;
        }
        cancelAt = now;
        cancelEndsAt = now.plus(finalizing);
        return true;
    }

    public boolean expires() {
        return forcedExpiry || processingEndsAt.isAfter(expiresAt);
    }

    public Instant expiryAt() {
        return forcedExpiry ? processingEndsAt : expiresAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** Whether a listing shows the batch at {@code now} when listings lag creations by {@code lag}. */
    public boolean listedAt(Instant now, Duration lag) {
        return !createdAt.plus(lag).isAfter(now);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant processingEndsAt() {
        return processingEndsAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public synchronized Instant cancelAt() {
        return cancelAt;
    }
}
