package io.apexaudition.dispatcher.health;

import io.apexaudition.dispatcher.messaging.OwnedLaneStates;
import io.apexaudition.dispatcher.messaging.RequestIntake;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code dispatch-state}: DOWN until the consumer group gave this dispatcher its request partitions
 * (possibly none) and their lane groups' state is restored, again while a partition it was given is restored, and
 * while a partition's state cannot be read (named, with the fix).
 */
@Readiness
@ApplicationScoped
public class DispatchStateCheck implements HealthCheck {
    private final RequestIntake intake;
    private final OwnedLaneStates states;

    public DispatchStateCheck(RequestIntake intake, OwnedLaneStates states) {
        this.intake = intake;
        this.states = states;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("dispatch-state").status(intake.ready())
                .withData("partitions", states.ownedPartitions().toString())
                .withData("laneGroupsHeld", states.entryCount());
        String why = intake.notReadyBecause();
        if (why != null) {
            r.withData("reason", why);
        }
        return r.build();
    }
}
