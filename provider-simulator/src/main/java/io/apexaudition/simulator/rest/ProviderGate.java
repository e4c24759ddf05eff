package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.config.SimulatorConfig;
import io.apexaudition.simulator.domain.FaultInjector;
import io.apexaudition.simulator.domain.ProviderErrors;
import io.apexaudition.simulator.domain.RuntimeSettings;
import io.apexaudition.simulator.domain.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Consumes a call's credentials and its fault endpoint name; produces the provider's 401/400 for bad
 * credentials, an injected 429/500/504 or delay, or nothing (the call goes on). Keys are compared, never logged.
 */
@ApplicationScoped
public class ProviderGate {
    private final SimulatorConfig config;
    private final FaultInjector faults;
    private final RuntimeSettings settings;

    public ProviderGate(SimulatorConfig config, FaultInjector faults, RuntimeSettings settings) {
        this.config = config;
        this.faults = faults;
        this.settings = settings;
    }

    public void openAi(String authorization, String endpoint) {
        String key = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (key == null || key.isEmpty()) {
            throw reject(401, ProviderErrors.openAi("You didn't provide an API key. You need to provide your API key "
                    + "in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, "invalid_api_key"));
        }
        if (!same(key, config.openaiApiKey())) {
            throw reject(401, ProviderErrors.openAi("Incorrect API key provided.", "invalid_request_error", null,
                    "invalid_api_key"));
        }
        injectFault(endpoint, true);
    }

    public void anthropic(String apiKey, String version, String endpoint) {
        if (apiKey == null || apiKey.isBlank()) {
            throw reject(401, ProviderErrors.anthropic("authentication_error", "x-api-key header is required"));
        }
        if (!same(apiKey.trim(), config.anthropicApiKey())) {
            throw reject(401, ProviderErrors.anthropic("authentication_error", "invalid x-api-key"));
        }
        if (version == null || version.isBlank()) {
            throw reject(400, ProviderErrors.anthropic("invalid_request_error", "anthropic-version: header is required"));
        }
        injectFault(endpoint, false);
    }

    private void injectFault(String endpoint, boolean openAi) {
        Settings.Faults f = settings.current().faults();
        switch (faults.roll(endpoint)) {
            case RATE_LIMIT:
                String seconds = String.valueOf(f.retryAfterSeconds());
                ObjectNode body = openAi
                        ? ProviderErrors.openAi("Rate limit reached for requests on " + endpoint + ". Please try again in "
                        + seconds + "s.", "requests", null, "rate_limit_exceeded")
                        : ProviderErrors.anthropic("rate_limit_error", "Number of requests has exceeded your rate limit. "
                        + "Please try again later.");
                throw new WebApplicationException(Response.status(429).header("retry-after", seconds)
                        .type(MediaType.APPLICATION_JSON).entity(body).build());
            case SERVER_ERROR:
                throw reject(500, openAi
                        ? ProviderErrors.openAi("The server had an error while processing your request. Sorry about that!",
                        "server_error", null, null)
                        : ProviderErrors.anthropic("api_error", "Internal server error"));
            case TIMEOUT:
                // Hold the connection past the client's patience, then give up as a gateway would.
                sleep(f.timeoutHold());
                throw reject(504, openAi
                        ? ProviderErrors.openAi("Request timed out.", "server_error", null, "timeout")
                        : ProviderErrors.anthropic("timeout_error", "Request timed out"));
            case SLOW:
                sleep(f.slowDelay());
                break;
            default:
                break;
        }
    }

    private static WebApplicationException reject(int status, ObjectNode body) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build());
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
