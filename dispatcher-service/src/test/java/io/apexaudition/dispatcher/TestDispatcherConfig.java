package io.apexaudition.dispatcher;

import java.time.Duration;

/** A dispatcher configuration for tests that build the dispatcher's parts by hand. */
public record TestDispatcherConfig(String provider, String bootstrapServers, String transactionalId,
                                   Duration listingConsistency, Duration inDoubtTimeout, int maxCreateRounds)
        implements DispatcherConfig {

    /** An OpenAI dispatcher that never reaches Kafka. */
    public static TestDispatcherConfig openai() {
        return new TestDispatcherConfig("openai", "unused:9092", "unused", Duration.ofSeconds(60),
                Duration.ofMinutes(30), 5);
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
        return 180_000_000L;
    }

    @Override
    public int syncConcurrency() {
        return 1;
    }
}
