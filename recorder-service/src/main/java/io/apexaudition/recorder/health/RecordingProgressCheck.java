package io.apexaudition.recorder.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reads {@link RecordingProgress} and produces the {@code recording} readiness check: DOWN, naming the records
 * and the error, once the same batch has failed several times in a row. A recorder that retries forever without
 * progress is not ready, whatever its database connection says.
 */
@Readiness
@ApplicationScoped
public class RecordingProgressCheck implements HealthCheck {
    private final RecordingProgress progress;

    public RecordingProgressCheck(RecordingProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("recording");
        RecordingProgress.Stuck stuck = progress.stuck();
        if (stuck == null) {
            return r.up().build();
        }
        return r.down().withData("stuckAt", stuck.position()).withData("records", stuck.records())
                .withData("failures", stuck.failures()).withData("error", stuck.error())
                .withData("fix", "if Postgres is down, start it (APEX_DB_URL); otherwise the recorder's log names "
                        + "the record").build();
    }
}
