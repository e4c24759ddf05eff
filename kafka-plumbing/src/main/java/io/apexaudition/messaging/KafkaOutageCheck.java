package io.apexaudition.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Instant;

/**
 * Reads {@link KafkaOutage} and produces the readiness of the service's own Kafka work: DOWN, with the attempt and
 * since when, while it waits out an outage; UP as soon as a step goes through. Whether the broker answers at all
 * is what {@code quarkus.kafka.health} reports beside it.
 */
@Readiness
@ApplicationScoped
public class KafkaOutageCheck implements HealthCheck {
    private final KafkaOutage outage;

    public KafkaOutageCheck(KafkaOutage outage) {
        this.outage = outage;
    }

    @Override
    public HealthCheckResponse call() {
        Instant since = outage.since();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("kafka-work").status(since == null);
        if (since != null) {
            r.withData("waitingSince", since.toString()).withData("attempt", String.valueOf(outage.attempt()));
        }
        return r.build();
    }
}
