package io.apexaudition.providers;

import jakarta.enterprise.context.ApplicationScoped;

/** The client of each provider, by name. */
@ApplicationScoped
public class ProviderClients {
    private final OpenAiClient openai;
    private final AnthropicClient anthropic;

    public ProviderClients(OpenAiClient openai, AnthropicClient anthropic) {
        this.openai = openai;
        this.anthropic = anthropic;
    }

    public ProviderClient of(String provider) {
        return switch (provider) {
            case io.apexaudition.events.Providers.OPENAI -> openai;
            case io.apexaudition.events.Providers.ANTHROPIC -> anthropic;
            default -> throw new IllegalArgumentException("unknown provider '" + provider + "'");
        };
    }
}
