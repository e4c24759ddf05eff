package io.apexaudition.planner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The planner's own settings (Kafka Streams settings live under {@code kafka-streams.*}). */
@ConfigMapping(prefix = "apex.planner")
public interface PlannerConfig {

    /** The broker the registration producer writes to; the same as the Kafka Streams application's. */
    String bootstrapServers();

    /** How long a registration waits for the planner's own stores to show what it published. */
    @WithDefault("PT15S")
    Duration registrationVisibleTimeout();
}
