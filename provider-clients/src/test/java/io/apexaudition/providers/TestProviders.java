package io.apexaudition.providers;

import java.time.Duration;
import java.util.Optional;

/** Provider settings for tests: one key for both providers (or none) and fast, bounded retries. */
final class TestProviders {
    private TestProviders() {
    }

    static ProvidersConfig config(Optional<String> apiKey, int maxAttempts) {
        return new ProvidersConfig() {
            @Override
            public Provider openai() {
                return () -> apiKey;
            }

            @Override
            public Provider anthropic() {
                return () -> apiKey;
            }

            @Override
            public Retry retry() {
                return new Retry() {
                    @Override
                    public int maxAttempts() {
                        return maxAttempts;
                    }

                    @Override
                    public Duration baseDelay() {
                        return Duration.ofMillis(1);
                    }

                    @Override
                    public Duration maxDelay() {
                        return Duration.ofMillis(5);
                    }
                };
            }
        };
    }
}
