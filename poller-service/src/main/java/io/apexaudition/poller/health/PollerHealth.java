package io.apexaudition.poller.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the poller's own threads report about themselves, for its health checks: whether a thread stopped on an
 * {@link Error} ({@link PollerLivenessCheck}: DOWN, so the platform restarts the pod), and which batches keep failing
 * the same way ({@link RepeatedFailuresCheck}: named, without taking the poller out of service).
 */
@ApplicationScoped
public class PollerHealth {
    /** A batch is reported once it has failed the same way this many times in a row. */
    public static final int REPEATS_REPORTED = 3;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();
    private volatile Stopped stopped;
    private volatile Thread watched;
    private volatile boolean shuttingDown;

    /** A thread that stopped for good: which, on what, while handling what, when. */
    public record Stopped(String thread, String error, String handling, Instant at) {
    }

    /** A batch failing the same way {@code times} in a row since {@code since}. */
    public record Failing(String batchId, String batch, String error, int times, Instant since) {
    }

    /**
     * {@code thread} stopped on {@code error} while handling {@code handling}: the poller no longer does its work,
     * and liveness is DOWN from now on. Only the first stop is kept (a second one is its consequence).
     */
    public void stopped(String thread, Throwable error, String handling) {
        if (stopped == null) {
            stopped = new Stopped(thread, describe(error), handling, clock.instant());
        }
    }

    /**
     * Watches a thread that must run as long as the service does: if it ends without a report (its report of an
     * Error could itself fail, out of memory), it is counted as stopped all the same.
     */
    public void watch(Thread thread) {
        watched = thread;
    }

    /** The service is shutting down: threads that end now end on purpose. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    /** Null while every thread works. */
    public Stopped stopped() {
        Thread thread = watched;
        if (stopped == null && thread != null && !thread.isAlive() && !shuttingDown) {
            stopped = new Stopped(thread.getName(), "an end without a report", "unknown", clock.instant());
        }
        return stopped;
    }

    /** Polling or retrieving {@code batchId} failed with {@code error}; {@code batch} says which batch it is. */
    public void failed(String batchId, String batch, Throwable error) {
        String how = describe(error);
        failing.compute(batchId, (id, before) -> before != null && before.error().equals(how)
                ? new Failing(id, batch, how, before.times() + 1, before.since())
                : new Failing(id, batch, how, 1, clock.instant()));
    }

    /** A step for {@code batchId} went through: its run of failures, if any, is over. */
    public void succeeded(String batchId) {
        failing.remove(batchId);
    }

    /** Forgets every batch but these (the others were closed). */
    public void retain(Set<String> openBatchIds) {
        failing.keySet().retainAll(openBatchIds);
    }

    /** Batches that failed the same way at least {@link #REPEATS_REPORTED} times in a row, as they stand. */
    public List<Failing> repeatedFailures() {
        return failing.values().stream().filter(f -> f.times() >= REPEATS_REPORTED).toList();
    }

    private static String describe(Throwable error) {
        return error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
