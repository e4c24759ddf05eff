package io.apexaudition.dispatcher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which provider this deployment of the dispatcher serves (one deployment per provider), and its limits. */
@ConfigMapping(prefix = "apex.dispatcher")
public interface DispatcherConfig {

    /** {@code openai} or {@code anthropic}; from {@code APEX_DISPATCHER_PROVIDER}. */
    @WithDefault("openai")
    String provider();

    /** The broker; the same as the incoming channel's. */
    String bootstrapServers();

    /**
     * Kafka transactional id of this instance: stable across restarts of the same instance, so that a
     * restarted dispatcher fences off its dead predecessor's unfinished transaction.
     */
    String transactionalId();

    /**
     * How long a publish waits for the broker before the dispatcher treats Kafka as down and waits it out
     * (re-reading its intents before it goes on). Shorter outages are ridden out inside the publish.
     */
    @WithDefault("PT60S")
    java.time.Duration kafkaMaxBlock();

    /** Requests per provider batch (OpenAI allows 50,000, Anthropic 100,000). */
    @WithDefault("50000")
    int maxBatchRequests();

    /** Bytes per provider batch (OpenAI allows 200 MB, Anthropic 256 MB); kept below with margin. */
    @WithDefault("180000000")
    long maxBatchBytes();

    /** Concurrent synchronous calls per instance. */
    @WithDefault("4")
    int syncConcurrency();
}
