package io.apexaudition.poller.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the poller's work, check {@code batch-poller}: DOWN for good once the polling thread (which also follows
 * the consumer group and restores the open batches) stopped on an {@link Error}, naming the error and what it was handling, so that the
 * platform's liveness probe restarts the pod. A restart loses nothing: open batches are kept in apex.open-batches.
 */
@Liveness
@ApplicationScoped
public class PollerLivenessCheck implements HealthCheck {
    private final PollerHealth health;

    public PollerLivenessCheck(PollerHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        PollerHealth.Stopped stopped = health.stopped();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("batch-poller").status(stopped == null);
        if (stopped != null) {
            r.withData("stopped", stopped.thread() + " stopped on " + stopped.error() + " while handling "
                    + stopped.handling()).withData("at", stopped.at().toString());
        }
        return r.build();
    }
}
