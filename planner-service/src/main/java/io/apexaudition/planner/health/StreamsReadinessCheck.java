package io.apexaudition.planner.health;

import io.apexaudition.planner.messaging.StreamThreadReplacer;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka Streams application runs (before that its stores cannot answer registrations or
 * progress queries, and commands wait in their topic) and its threads are not failing again and again.
 */
@Readiness
@ApplicationScoped
public class StreamsReadinessCheck implements HealthCheck {
    private final KafkaStreams streams;
    private final StreamThreadReplacer replacer;

    public StreamsReadinessCheck(KafkaStreams streams, StreamThreadReplacer replacer) {
        this.streams = streams;
        this.replacer = replacer;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        Optional<String> stuck = replacer.stuck();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("planner-streams")
                .status(state == KafkaStreams.State.RUNNING && stuck.isEmpty()).withData("state", state.name());
        stuck.ifPresent(why -> r.withData("stuck", why).withData("fix", "a record that fails every time is named "
                + "above (topic, partition, offset): park it by fixing the planner, or check the broker at "
                + "KAFKA_BOOTSTRAP_SERVERS if it is unreachable"));
        return r.build();
    }
}
