package io.apexaudition.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether a service is waiting out a broker outage (a transaction Kafka did not take, a topic it could not read to
 * the end), what it was attempting and since when; {@link KafkaOutageCheck} reports it.
 */
@ApplicationScoped
public class KafkaOutage {
    private final Clock clock = Clock.systemUTC();
    private volatile Instant since;
    private volatile String what;

    /** The service is waiting for Kafka to take {@code attempt}. */
    public void report(String attempt) {
        if (since == null) {
            since = clock.instant();
        }
        what = attempt;
    }

    /** A step went through: the outage, if there was one, is over. */
    public void clear() {
        since = null;
        what = null;
    }

    /** When the outage began, or null when there is none. */
    public Instant since() {
        return since;
    }

    public String attempt() {
        return what;
    }
}
