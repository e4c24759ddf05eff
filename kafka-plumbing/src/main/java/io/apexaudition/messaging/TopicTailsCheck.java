package io.apexaudition.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.function.Supplier;

/**
 * Reads every {@link TopicTail} of the process and produces two checks named {@code topic-tails}. Readiness: DOWN
 * until each tail has read what its topics held when it started (the intents in doubt, the open batches), so a
 * service is not called ready while it still rebuilds its state from history. Liveness: DOWN once a tail's thread
 * died of an error (out of memory, say), since its state then stays half read until the process restarts.
 */
@ApplicationScoped
public class TopicTailsCheck {

    @Produces
    @Readiness
    HealthCheck caughtUp() {
        return () -> readiness(TopicTail::open);
    }

    @Produces
    @Liveness
    HealthCheck alive() {
        return () -> liveness(TopicTail::open);
    }

    static HealthCheckResponse readiness(Supplier<List<TopicTail>> tails) {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("topic-tails").up();
        for (TopicTail tail : tails.get()) {
            boolean read = tail.caughtUpAtStart() && tail.died() == null;
            r.withData(tail.name(), read ? "read" : tail.died() != null ? "stopped: " + tail.died() : "reading");
            if (!read) {
                r.down();
            }
        }
        return r.build();
    }

    static HealthCheckResponse liveness(Supplier<List<TopicTail>> tails) {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("topic-tails").up();
        for (TopicTail tail : tails.get()) {
            if (tail.died() != null) {
                r.down().withData(tail.name(), "stopped: " + tail.died() + "; restart the service");
            }
        }
        return r.build();
    }
}
