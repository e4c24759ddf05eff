package io.apexaudition.planner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;

/** The planner's own settings (Kafka Streams settings live under {@code kafka-streams.*}). */
@ConfigMapping(prefix = "apex.planner")
public interface PlannerConfig {

    /** The broker the registration producer writes to; the same as the Kafka Streams application's. */
    String bootstrapServers();

    /** How long a registration waits for the planner's own stores to show what it published. */
    @WithDefault("PT15S")
    Duration registrationVisibleTimeout();

    /** The most generations one run may plan ({@code APEX_PLANNER_MAX_RUN_GENERATIONS}); see RunPlanner.Caps. */
    @WithDefault("200000")
    long maxRunGenerations();

    /** The most one run's worst case may cost, in USD ({@code APEX_PLANNER_MAX_RUN_COST_USD}). */
    @WithDefault("5000")
    BigDecimal maxRunCostUsd();
}
