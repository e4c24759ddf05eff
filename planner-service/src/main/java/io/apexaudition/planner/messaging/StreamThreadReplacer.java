package io.apexaudition.planner.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * Consumes the planner's stream-thread failures (the Quarkus extension installs this bean before the topology
 * starts) and produces a fresh thread instead of shutting the planner down: a broker outage longer than the
 * clients' own timeouts then costs a thread restart, and exactly-once processing resumes from the last commit.
 */
@ApplicationScoped
public class StreamThreadReplacer implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = Logger.getLogger(StreamThreadReplacer.class);
    /** Replacements within {@link #WINDOW} that mean the planner is not making progress. */
    static final int STUCK_AFTER = 3;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Deque<Instant> failures = new ArrayDeque<>();
    private volatile String lastFailure;
    private final Clock clock;

    public StreamThreadReplacer() {
        this(Clock.systemUTC());
    }

    StreamThreadReplacer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        synchronized (failures) {
            failures.addLast(clock.instant());
        }
        lastFailure = describe(exception);
        LOG.warnf("A planner stream thread failed (%s); replacing it. Uncommitted work is redone from the last "
                + "commit, so nothing is planned twice. If this repeats, check the broker at KAFKA_BOOTSTRAP_SERVERS.",
                lastFailure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * Why the planner is stuck, when its threads failed {@value #STUCK_AFTER} times or more within the last five
     * minutes (the same record failing again and again, or the broker gone); empty otherwise.
     */
    public Optional<String> stuck() {
        Instant since = clock.instant().minus(WINDOW);
        synchronized (failures) {
            while (!failures.isEmpty() && failures.peekFirst().isBefore(since)) {
                failures.removeFirst();
            }
            if (failures.size() < STUCK_AFTER) {
                return Optional.empty();
            }
            return Optional.of(failures.size() + " stream thread failures in the last " + WINDOW.toMinutes()
                    + " minutes; the last: " + lastFailure);
        }
    }

    /** The exception and its causes in one line: Kafka Streams names the task, topic, partition and offset. */
    static String describe(Throwable exception) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = exception; t != null && b.length() < 1000; t = t.getCause()) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return b.toString();
    }
}
