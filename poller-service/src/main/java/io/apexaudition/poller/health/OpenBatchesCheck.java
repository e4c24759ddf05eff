package io.apexaudition.poller.health;

import io.apexaudition.poller.messaging.OpenBatches;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code open-batches}: DOWN until the consumer group gave this poller its partitions (possibly
 * none) and their open batches are restored from apex.open-batches, and again while a partition it was given is
 * restored; what TopicTailsCheck says for the services that derive their state from a topic tail.
 */
@Readiness
@ApplicationScoped
public class OpenBatchesCheck implements HealthCheck {
    private final OpenBatches batches;

    public OpenBatchesCheck(OpenBatches batches) {
        this.batches = batches;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = batches.ready();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("open-batches").status(ready)
                .withData("open", batches.open().size());
        if (!ready) {
            r.withData("restoring", batches.restoring().isEmpty() ? "waiting for the consumer group's assignment"
                    : "partitions " + batches.restoring());
        }
        return r.build();
    }
}
