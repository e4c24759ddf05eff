package io.apexaudition.poller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the poller reaches Kafka and how often it asks providers about open batches. */
@ConfigMapping(prefix = "apex.poller")
public interface PollerConfig {

    String bootstrapServers();

    /**
     * Unique per instance (two pollers with one id fence each other's producer on every transaction) and best
     * stable across its restarts, so a restart aborts its predecessor's unfinished transaction at once instead of
     * after the transaction timeout. Which batches an instance may commit is decided by the group, not by this id.
     */
    String transactionalId();

    /** The consumer group of every poller instance: its partitions of apex.batches are the batches each owns. */
    @WithDefault("apex-poller")
    String groupId();

    /**
     * The longest round of polls and downloads between two polls of the group (max.poll.interval.ms): an instance
     * that takes longer is taken out of the group, its partitions go to another and its commits are refused.
     */
    @WithDefault("PT30M")
    Duration maxRound();

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
