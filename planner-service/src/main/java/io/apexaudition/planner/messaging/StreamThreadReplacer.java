package io.apexaudition.planner.messaging;

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

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        LOG.warnf("A planner stream thread failed (%s); replacing it. Uncommitted work is redone from the last "
                + "commit, so nothing is planned twice. If this repeats, check the broker at KAFKA_BOOTSTRAP_SERVERS.",
                exception.getMessage());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
