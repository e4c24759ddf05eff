package io.apexaudition.poller.health;

import io.apexaudition.poller.messaging.OpenBatches;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * Readiness check {@code open-batches}: DOWN until the consumer group gave this poller its partitions (possibly
 * none) and their open batches are restored from apex.open-batches, and again while a partition it was given is
 * restored; what TopicTailsCheck says for the services that derive their state from a topic tail. Its data names
 * every entry of the owned partitions that cannot be read (partition, key, problem and fix): such a batch is not
 * polled, and is not forgotten.
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
        // an open batch whose entry cannot be read is not polled: named until a later record of its key replaces it,
        // while readiness stays with the batches that are (a restart would not cure it), as batch-failures does
        List<String> unreadable = batches.unreadable();
        if (!unreadable.isEmpty()) {
            r.withData("unreadable", String.join("; ", unreadable));
        }
        if (!ready) {
            r.withData("restoring", batches.restoring().isEmpty() ? "waiting for the consumer group's assignment"
                    : "partitions " + batches.restoring());
        }
        return r.build();
    }
}
