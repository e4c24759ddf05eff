package io.apexaudition.poller.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code batch-failures}: always UP, since the poller still serves every other batch and a restart
 * would not cure a batch that fails the same way each time, but its data names every batch that failed the same
 * way {@link PollerHealth#REPEATS_REPORTED} or more times in a row, with the error, how often and since when.
 */
@Readiness
@ApplicationScoped
public class RepeatedFailuresCheck implements HealthCheck {
    private final PollerHealth health;

    public RepeatedFailuresCheck(PollerHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("batch-failures").up();
        for (PollerHealth.Failing f : health.repeatedFailures()) {
            r.withData(f.batchId(), f.batch() + ": failed " + f.times() + " times in a row since " + f.since() + ": "
                    + f.error());
        }
        return r.build();
    }
}
