package io.apexaudition.viewer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where the viewer publishes readers' verdicts, and how long a verdict waits for the broker before a 503. */
@ConfigMapping(prefix = "apex.verdicts")
public interface VerdictConfig {

    /** The broker ({@code KAFKA_BOOTSTRAP_SERVERS}, through {@code kafka.bootstrap.servers}). */
    String bootstrapServers();

    /**
     * How long one verdict may wait for the broker to take it (metadata, then the acknowledgement of every in-sync
     * replica); past it the reader gets a 503 and may cast the same verdict again, counted once.
     */
    @WithDefault("PT10S")
    Duration sendTimeout();
}
