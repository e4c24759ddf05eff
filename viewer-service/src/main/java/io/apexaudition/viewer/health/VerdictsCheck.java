package io.apexaudition.viewer.health;

import io.apexaudition.events.Topics;
import io.apexaudition.viewer.messaging.VerdictPublisher;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * At {@code /q/health/well}: DOWN while the last verdict could not be sent to Kafka, naming why. A wellness check
 * feeds no probe: reading the results needs no broker, so the viewer stays ready and only verdicts wait.
 */
@Wellness
@ApplicationScoped
public class VerdictsCheck implements HealthCheck {
    private final VerdictPublisher publisher;

    public VerdictsCheck(VerdictPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        String failure = publisher.lastFailure();
        var r = HealthCheckResponse.named("verdicts").withData("topic", Topics.VERDICTS.name());
        return failure == null ? r.up().build() : r.down().withData("lastFailure", failure).build();
    }
}
