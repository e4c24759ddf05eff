package io.apexaudition.dispatcher;

import java.time.Duration;

/** A dispatcher configuration for tests that build the dispatcher's parts by hand. */
public record TestDispatcherConfig(String provider, String bootstrapServers, String transactionalId,
                                   Duration listingConsistency, Duration inDoubtTimeout, int maxCreateRounds,
                                   Sync sync)
        implements DispatcherConfig {

    /** Synchronous calls one at a time. */
    public TestDispatcherConfig(String provider, String bootstrapServers, String transactionalId,
                                Duration listingConsistency, Duration inDoubtTimeout, int maxCreateRounds) {
        this(provider, bootstrapServers, transactionalId, listingConsistency, inDoubtTimeout, maxCreateRounds,
                sync(1, java.util.OptionalInt.empty()));
    }

    /** An OpenAI dispatcher that never reaches Kafka. */
    public static TestDispatcherConfig openai() {
        return new TestDispatcherConfig("openai", "unused:9092", "unused", Duration.ofSeconds(60),
                Duration.ofMinutes(30), 5);
    }

    @Override
    public String groupId() {
        return "apex-dispatcher-" + provider;
    }

    @Override
    public Duration maxDispatch() {
        return Duration.ofMinutes(30);
    }

    @Override
    public Duration kafkaMaxBlock() {
        return Duration.ofSeconds(5);
    }

    @Override
    public int maxBatchRequests() {
        return 50_000;
    }

    @Override
    public long maxBatchBytes() {
        return Long.parseLong(DEFAULT_MAX_BATCH_BYTES);
    }

    /** Synchronous calls with one ceiling for every model and the given window (default: twice the ceiling). */
    public static Sync sync(int concurrency, java.util.OptionalInt window) {
        return new Sync() {
            @Override
            public int concurrency() {
                return concurrency;
            }

            @Override
            public int laneGroups() {
                return 4;
            }

            @Override
            public java.util.Map<String, Model> model() {
                return java.util.Map.of();
            }

            @Override
            public java.util.OptionalInt window() {
                return window;
            }
        };
    }
}
