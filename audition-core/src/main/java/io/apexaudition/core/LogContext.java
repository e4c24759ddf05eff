package io.apexaudition.core;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.VerdictRecorded;
import org.jboss.logging.MDC;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a log line is about (a run, a lane, an attempt, a batch, a provider), in the logging context (MDC) of the
 * current thread for as long as the context is open: every line logged meanwhile carries it, as the {@code mdc}
 * object of a JSON line ({@code APEX_LOG_JSON=true}) and, through {@link #SUMMARY}, in the plain console format.
 * Open it in a try-with-resources block: closing it puts back exactly what was there before, so contexts nest (a
 * batch inside a lane inside a run) and a pooled thread keeps nothing of the work it did last.
 *
 * <p>Values are ids, never bodies or headers; they are made printable (control characters escaped, at most
 * {@link TextChecks#MAX_ID_CHARS}) because an id read from a topic may hold anything and a newline in it would
 * forge a log line.
 */
public final class LogContext implements AutoCloseable {
    public static final String RUN_ID = "runId";
    public static final String LANE = "lane";
    public static final String ATTEMPT = "attempt";
    public static final String BATCH_ID = "batchId";
    public static final String PROVIDER = "provider";
    /**
     * The keys above that are set, as one text ({@code [runId=r1 lane=gpt5.reason-min attempt=1] }), for the plain
     * console format ({@code %X{apexContext}}): absent, it prints nothing.
     */
    public static final String SUMMARY = "apexContext";
    private static final List<String> KEYS = List.of(RUN_ID, LANE, ATTEMPT, BATCH_ID, PROVIDER);

    /** Each key this context set, with the value it had before (null: none). */
    private final Map<String, Object> previous = new LinkedHashMap<>();
    private final Object previousSummary;
    private boolean closed;

    private LogContext(Map<String, String> values) {
        previousSummary = MDC.get(SUMMARY);
        values.forEach((key, value) -> {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        });
        summarise();
    }

    /**
     * Opens a context with the given keys and values ({@code key1, value1, key2, value2, ...}); a null value
     * leaves its key as it was.
     */
    public static LogContext of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("LogContext.of takes keys and values in pairs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            if (value != null) {
                values.put(String.valueOf(keysAndValues[i]), TextChecks.printable(String.valueOf(value),
                        TextChecks.MAX_ID_CHARS));
            }
        }
        return new LogContext(values);
    }

    /** A run's context. */
    public static LogContext run(String runId) {
        return of(RUN_ID, runId);
    }

    /** The run, lane, attempt, batch and provider an event is about (lanes and prompts: none). */
    public static LogContext about(ApexEvent event) {
        if (event instanceof GenerationRequested r) {
            return of(RUN_ID, r.runId(), LANE, r.conditionSlug(), ATTEMPT, r.attempt(), PROVIDER, r.provider());
        }
        if (event instanceof LaneGroupRequested r) {
            return of(RUN_ID, r.runId(), LANE, r.conditionSlug(), ATTEMPT, r.attempt(), PROVIDER, r.provider());
        }
        if (event instanceof GenerationCompleted g) {
            return of(RUN_ID, g.runId(), LANE, g.conditionSlug(), BATCH_ID, g.batchId(), PROVIDER, g.provider());
        }
        if (event instanceof DispatchIntended d) {
            return of(RUN_ID, d.runId(), LANE, d.conditionSlug(), PROVIDER, d.provider());
        }
        if (event instanceof DispatchSettled d) {
            return of(RUN_ID, d.runId(), PROVIDER, d.provider());
        }
        if (event instanceof BatchSubmitted b) {
            return of(RUN_ID, b.runId(), BATCH_ID, b.batchId(), PROVIDER, b.provider());
        }
        if (event instanceof BatchStatusChanged b) {
            return of(RUN_ID, b.runId(), BATCH_ID, b.batchId(), PROVIDER, b.provider());
        }
        if (event instanceof RunAccepted || event instanceof RunRejected || event instanceof RunCompleted
                || event instanceof VerdictRecorded) {
            return run(event.key());
        }
        return of();
    }

    /**
     * The task with the context of the calling thread (the keys above), for a task handed to another thread: a
     * pool's thread has its own, empty, context.
     */
    public static <T> Callable<T> carried(Callable<T> task) {
        List<Object> current = new ArrayList<>();
        for (String key : KEYS) {
            Object value = MDC.get(key);
            if (value != null) {
                current.add(key);
                current.add(value);
            }
        }
        Object[] captured = current.toArray();
        return () -> {
            try (LogContext ignored = of(captured)) {
                return task.call();
            }
        };
    }

    /** Puts back what the keys held before this context opened. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        previous.forEach(LogContext::restore);
        restore(SUMMARY, previousSummary);
    }

    private static void restore(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    private static void summarise() {
        StringBuilder summary = new StringBuilder();
        for (String key : KEYS) {
            Object value = MDC.get(key);
            if (value != null) {
                summary.append(summary.length() == 0 ? "[" : " ").append(key).append('=').append(value);
            }
        }
        if (summary.length() == 0) {
            MDC.remove(SUMMARY);
        } else {
            MDC.put(SUMMARY, summary.append("] ").toString());
        }
    }
}
