package io.apexaudition.dispatcher.health;

import io.apexaudition.dispatcher.messaging.RequestIntake;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness check {@code dispatch-intake}: DOWN for good once the intake thread (which polls the request partitions,
 * restores their state and dispatches their lane groups) stopped on an {@link Error}, naming it, so that the
 * platform's liveness probe restarts the pod. Readiness alone would stay UP and nothing would be dispatched.
 */
@Liveness
@ApplicationScoped
public class DispatchIntakeLivenessCheck implements HealthCheck {
    private final RequestIntake intake;

    public DispatchIntakeLivenessCheck(RequestIntake intake) {
        this.intake = intake;
    }

    @Override
    public HealthCheckResponse call() {
        String stopped = intake.stoppedBecause();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("dispatch-intake").status(stopped == null);
        if (stopped != null) {
            r.withData("stopped", stopped);
        }
        return r.build();
    }
}
