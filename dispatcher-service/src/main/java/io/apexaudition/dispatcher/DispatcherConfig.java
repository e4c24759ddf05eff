package io.apexaudition.dispatcher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.OptionalInt;

/** Which provider this deployment of the dispatcher serves (one deployment per provider), and its limits. */
@ConfigMapping(prefix = "apex.dispatcher")
public interface DispatcherConfig {

    /** {@code openai} or {@code anthropic}; from {@code APEX_DISPATCHER_PROVIDER}. */
    @WithDefault("openai")
    String provider();

    /** The broker. */
    String bootstrapServers();

    /**
     * Kafka transactional id, also the instance's static membership of the group: one per instance (the pod's name in
     * Kubernetes), the same across its restarts, so a restart fences off its previous life; other instances are fenced
     * by the consumer group (every transaction carries the offsets of the partitions it writes for).
     */
    String transactionalId();

    /** The consumer group of this provider's dispatchers on its request topic: its members share the partitions. */
    String groupId();

    /**
     * The longest a lane group's dispatch is expected to take besides a reconciliation (a lane's synchronous calls):
     * with the in-doubt timeout, how long the group waits for a member between two polls before taking its
     * partitions away (a member that exceeds it can commit nothing more for them).
     */
    @WithDefault("PT30M")
    java.time.Duration maxDispatch();

    /**
     * How long after a batch create a provider's listing is trusted to show it. Only a listing read this long after
     * the last create attempt (or after this process started, for an intent a previous life left) may conclude that
     * a batch was never created; an Anthropic listing, matched by request count, is read only after it.
     */
    @WithDefault("PT60S")
    java.time.Duration listingConsistency();

    /**
     * How long a batch intent in doubt is reconciled (the listing retried with backoff) before its lane ends as
     * {@code unknown_outcome} for a person to decide; it is never sent again automatically.
     */
    @WithDefault("PT30M")
    java.time.Duration inDoubtTimeout();

    /** Creates tried for one chunk when each gets no clear answer and the listing then shows nothing was created. */
    @WithDefault("5")
    int maxCreateRounds();

    /**
     * How long a publish waits for the broker before the dispatcher treats Kafka as down and waits it out
     * (re-reading its intents before it goes on). Shorter outages are ridden out inside the publish.
     */
    @WithDefault("PT60S")
    java.time.Duration kafkaMaxBlock();

    /** Requests per provider batch (OpenAI allows 50,000, Anthropic 100,000). */
    @WithDefault("50000")
    int maxBatchRequests();

    /**
     * Bytes per provider batch. The providers allow far more (OpenAI 200 MB, Anthropic 256 MB), but a batch is
     * spooled to the temporary directory and its requests are held until it is recorded: 24 MB keeps a batch within
     * the 128 MB heap with room to spare, and still
     * sends a 2,000-prompt lane of ~10 KB bodies as one batch (a larger lane goes as several: docs/benchmarks.md,
     * "Dispatcher memory on a 2,000-prompt lane").
     */
    @WithDefault(DEFAULT_MAX_BATCH_BYTES)
    long maxBatchBytes();

    /** {@link #maxBatchBytes}' default. */
    String DEFAULT_MAX_BATCH_BYTES = "24000000";

    /** How synchronous calls are paced and committed. */
    Sync sync();

    /**
     * Synchronous calls: how many may be under way per model (a ceiling; {@code AdaptiveLimiter} keeps below it
     * what the provider's rate-limit headers allow), and how many may be intended ahead of their results.
     */
    interface Sync {
        /** Calls under way at most for each model of this provider, unless {@link #model()} names its own. */
        @WithDefault("8")
        int concurrency();

        /**
         * Synchronous lane groups dispatched side by side when they complete together (each model's calls stay within
         * its ceiling, shared by its lanes; the window is per lane group).
         */
        @WithDefault("4")
        int laneGroups();

        /** Per model id ({@code apex.dispatcher.sync.model."gpt-4o".concurrency=16}): that model's own ceiling. */
        Map<String, Model> model();

        /**
         * Calls whose intents are committed but whose results are not yet, at most (default twice the largest
         * ceiling): intents of a window are committed together, and a crash leaves at most this many calls to end as
         * {@code unknown_outcome}.
         */
        OptionalInt window();

        /** The ceiling of one model's synchronous calls. */
        default int concurrencyOf(String model) {
            Model own = model().get(model);
            return own == null ? concurrency() : own.concurrency();
        }

        /** The window in effect. */
        default int effectiveWindow() {
            int largest = model().values().stream().mapToInt(Model::concurrency).max().orElse(0);
            return Math.max(1, window().orElse(2 * Math.max(concurrency(), largest)));
        }
    }

    /** One model's own setting. */
    interface Model {
        int concurrency();
    }
}
