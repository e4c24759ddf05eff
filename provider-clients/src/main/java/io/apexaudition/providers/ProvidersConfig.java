package io.apexaudition.providers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Provider access. Keys come only from the environment ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}) or a
 * Kubernetes Secret mapped to it; base URLs point at the real APIs or at the provider simulator.
 */
@ConfigMapping(prefix = "apex.providers")
public interface ProvidersConfig {

    Provider openai();

    Provider anthropic();

    Retry retry();

    interface Provider {
        /** Sent as the provider expects; never logged, never put in an event or a message. */
        Optional<String> apiKey();
    }

    /** Bounded retries of 429, 5xx and timeouts, waiting what {@code retry-after} asks for when it asks. */
    interface Retry {
        @WithDefault("6")
        int maxAttempts();

        @WithDefault("PT0.5S")
        Duration baseDelay();

        @WithDefault("PT30S")
        Duration maxDelay();
    }
}
