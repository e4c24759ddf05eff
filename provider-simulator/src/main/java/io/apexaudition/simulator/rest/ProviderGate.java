package io.apexaudition.simulator.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.config.SimulatorConfig;
import io.apexaudition.simulator.domain.Fault;
import io.apexaudition.simulator.domain.FaultInjector;
import io.apexaudition.simulator.domain.ProviderErrors;
import io.apexaudition.simulator.domain.RateLimits;
import io.apexaudition.simulator.domain.RuntimeSettings;
import io.apexaudition.simulator.domain.Settings;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Consumes a call's credentials and its fault endpoint name; produces the provider's 401/400 for bad
 * credentials, an injected 429/500/504 or delay, or nothing (the call goes on). Keys are compared, never logged.
 * A {@code created-*} fault is returned instead: the call does its work, then {@link #answer} spoils the answer.
 */
@ApplicationScoped
public class ProviderGate {
    private static final Logger LOG = Logger.getLogger(ProviderGate.class);

    private final SimulatorConfig config;
    private final FaultInjector faults;
    private final RuntimeSettings settings;
    private final RateLimits rateLimits;

    public ProviderGate(SimulatorConfig config, FaultInjector faults, RuntimeSettings settings,
                        RateLimits rateLimits) {
        this.config = config;
        this.faults = faults;
        this.settings = settings;
        this.rateLimits = rateLimits;
    }

    /**
     * Admits a synchronous call under its model's rate limits: returns the headers its answer carries, or throws
     * the provider's 429 (with {@code retry-after} and the same headers) when the budget of this window is spent.
     */
    public RateLimits.Admission admit(boolean openAi, String model, String body) {
        RateLimits.Admission admission = rateLimits.admit(openAi ? "openai" : "anthropic", model,
                body == null ? 0 : body.length());
        if (!admission.refused()) {
            return admission;
        }
        ObjectNode error = openAi
                ? ProviderErrors.openAi("Rate limit reached for " + model + " on requests. Please try again in "
                + admission.headers().get("retry-after") + "s.", "requests", null, "rate_limit_exceeded")
                : ProviderErrors.anthropic("rate_limit_error", "Number of request tokens has exceeded your "
                + "per-minute rate limit. Please try again later.");
        throw new WebApplicationException(withHeaders(Response.status(429), admission)
                .type(MediaType.APPLICATION_JSON).entity(error).build());
    }

    /** Puts an admission's rate-limit headers on an answer. */
    public static Response.ResponseBuilder withHeaders(Response.ResponseBuilder answer, RateLimits.Admission admission) {
        admission.headers().forEach(answer::header);
        return answer;
    }

    /** Checks an OpenAI call; returns the fault its answer gets once the work is done ({@link Fault#NONE} mostly). */
    public Fault openAi(String authorization, String endpoint) {
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
        return injectFault(endpoint, true);
    }

    /** Checks an Anthropic call; returns the fault its answer gets once the work is done ({@link Fault#NONE} mostly). */
    public Fault anthropic(String apiKey, String version, String endpoint) {
        if (apiKey == null || apiKey.isBlank()) {
            throw reject(401, ProviderErrors.anthropic("authentication_error", "x-api-key header is required"));
        }
        if (!same(apiKey.trim(), config.anthropicApiKey())) {
            throw reject(401, ProviderErrors.anthropic("authentication_error", "invalid x-api-key"));
        }
        if (version == null || version.isBlank()) {
            throw reject(400, ProviderErrors.anthropic("invalid_request_error", "anthropic-version: header is required"));
        }
        return injectFault(endpoint, false);
    }

    /**
     * The answer of a call whose work is done: {@code done} itself, or, under a {@code created-*} fault, a 500, or
     * {@code done} / a 504 / a closed connection after holding it {@code faults.timeout-hold}.
     */
    public Response answer(Fault fault, boolean openAi, HttpServerRequest http, Response done) {
        if (!fault.afterCreate()) {
            return done;
        }
        Settings.Faults f = settings.current().faults();
        String end = fault == Fault.CREATED_SERVER_ERROR ? "server-error" : f.createdTimeoutEnd();
        LOG.infof("%s %s carried out; its answer: %s%s (fault injection: %s)", openAi ? "OpenAI" : "Anthropic",
                http.path(), fault == Fault.CREATED_TIMEOUT ? "held " + f.timeoutHold() + ", then " : "", end,
                fault.key());
        if (fault == Fault.CREATED_SERVER_ERROR) {
            throw serverError(openAi);
        }
        sleep(f.timeoutHold());
        switch (end) {
            case "drop":
                http.connection().close();
                return done;
            case "gateway-timeout":
                throw gatewayTimeout(openAi);
            default:
                return done;
        }
    }

    private Fault injectFault(String endpoint, boolean openAi) {
        Settings.Faults f = settings.current().faults();
        Fault fault = faults.roll(endpoint);
        switch (fault) {
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
                throw serverError(openAi);
            case TIMEOUT:
                // Hold the connection past the client's patience, then give up as a gateway would.
                sleep(f.timeoutHold());
                throw gatewayTimeout(openAi);
            case SLOW:
                sleep(f.slowDelay());
                return Fault.NONE;
            default:
                return fault;
        }
    }

    private static WebApplicationException serverError(boolean openAi) {
        return reject(500, openAi
                ? ProviderErrors.openAi("The server had an error while processing your request. Sorry about that!",
                "server_error", null, null)
                : ProviderErrors.anthropic("api_error", "Internal server error"));
    }

    private static WebApplicationException gatewayTimeout(boolean openAi) {
        return reject(504, openAi
                ? ProviderErrors.openAi("Request timed out.", "server_error", null, "timeout")
                : ProviderErrors.anthropic("timeout_error", "Request timed out"));
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
