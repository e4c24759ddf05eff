package io.apexaudition.simulator.domain;

import io.apexaudition.simulator.config.SimulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * Consumes each synchronous call (provider, model, size); produces its admission under the configured budgets with
 * the rate-limit headers a real provider sends, or a refusal (429 with {@code retry-after}) when the model's budget
 * of this window is spent. Budgets are fixed windows of wall-clock time that refill whole, per provider and model.
 */
@ApplicationScoped
public class RateLimits {
    private final long requestLimit;
    private final long tokenLimit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

    /** A call's answer: the headers it carries, and whether it was refused (then with {@code retry-after}). */
    public record Admission(boolean refused, Map<String, String> headers) {
        public static final Admission NONE = new Admission(false, Map.of());
    }

    @Inject
    public RateLimits(SimulatorConfig config) {
        this(config.rateLimits().requests(), config.rateLimits().tokens(), config.rateLimits().window(),
                Clock.systemUTC());
    }

    public RateLimits(long requestLimit, long tokenLimit, Duration window, Clock clock) {
        this.requestLimit = requestLimit;
        this.tokenLimit = tokenLimit;
        this.window = window;
        this.clock = clock;
    }

    private static final class Budget {
        long windowStart = Long.MIN_VALUE;
        long requests;
        long tokens;
    }

    /** Admits one call of {@code chars} request characters, or refuses it; counted only when admitted. */
    public Admission admit(String provider, String model, long chars) {
        if (requestLimit <= 0 && tokenLimit <= 0) {
            return Admission.NONE;
        }
        long tokens = Math.max(1, chars / 4);
        long now = clock.millis();
        long windowMs = Math.max(1, window.toMillis());
        long start = Math.floorDiv(now, windowMs) * windowMs;
        Budget budget = budgets.computeIfAbsent(provider + "/" + model, k -> new Budget());
        boolean refused;
        long requestsLeft;
        long tokensLeft;
        synchronized (budget) {
            if (budget.windowStart != start) {
                budget.windowStart = start;
                budget.requests = 0;
                budget.tokens = 0;
            }
            refused = (requestLimit > 0 && budget.requests >= requestLimit)
                    || (tokenLimit > 0 && budget.tokens + tokens > tokenLimit);
            if (!refused) {
                budget.requests++;
                budget.tokens += tokens;
            }
            requestsLeft = Math.max(0, requestLimit - budget.requests);
            tokensLeft = Math.max(0, tokenLimit - budget.tokens);
        }
        long resetMs = start + windowMs - now;
        Map<String, String> headers = "openai".equals(provider)
                ? openAi(requestsLeft, tokensLeft, resetMs) : anthropic(requestsLeft, tokensLeft, now + resetMs);
        if (refused) {
            headers.put("retry-after", Long.toString(Math.max(1, (resetMs + 999) / 1000)));
        }
        return new Admission(refused, headers);
    }

    private Map<String, String> openAi(long requestsLeft, long tokensLeft, long resetMs) {
        return headers((budget, field) -> "x-ratelimit-" + field + "-" + budget, requestsLeft, tokensLeft,
                resetMs + "ms");
    }

    private Map<String, String> anthropic(long requestsLeft, long tokensLeft, long resetAtMs) {
        // RFC 3339, rounded up to the second as Anthropic sends it: a client never resumes before the refill
        String reset = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(((resetAtMs + 999) / 1000) * 1000)
                .atOffset(ZoneOffset.UTC));
        return headers((budget, field) -> "anthropic-ratelimit-" + budget + "-" + field, requestsLeft, tokensLeft,
                reset);
    }

    /** The limit, remaining and reset headers of each budget that is set, named by {@code name(budget, field)}. */
    private Map<String, String> headers(BinaryOperator<String> name, long requestsLeft, long tokensLeft,
                                        String reset) {
        Map<String, String> h = new LinkedHashMap<>();
        long[][] budgets = {{requestLimit, requestsLeft}, {tokenLimit, tokensLeft}};
        String[] kinds = {"requests", "tokens"};
        for (int i = 0; i < kinds.length; i++) {
            if (budgets[i][0] > 0) {
                h.put(name.apply(kinds[i], "limit"), Long.toString(budgets[i][0]));
                h.put(name.apply(kinds[i], "remaining"), Long.toString(budgets[i][1]));
                h.put(name.apply(kinds[i], "reset"), reset);
            }
        }
        return h;
    }
}
