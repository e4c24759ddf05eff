package io.apexaudition.poller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the poller reaches Kafka and how often it asks providers about open batches. */
@ConfigMapping(prefix = "apex.poller")
public interface PollerConfig {

    String bootstrapServers();

    /** Stable across restarts of this instance, so a restart fences off an unfinished transaction. */
    String transactionalId();

    /**
     * How long a publish waits for the broker before the poller treats Kafka as down and re-reads its open
     * batches before it publishes again. Shorter outages are ridden out inside the publish.
     */
    @WithDefault("PT60S")
    Duration kafkaMaxBlock();

    /** First wait before asking about a batch again; doubles after each unchanged answer. */
    @WithDefault("PT5S")
    Duration minInterval();

    /** The cap of that backoff: no open batch goes unpolled longer than this. */
    @WithDefault("PT5M")
    Duration maxInterval();

    /** How often the poll loop looks for batches that are due. */
    @WithDefault("PT0.2S")
    Duration tick();
}
