package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Calls a provider with bounded retries on 429, 5xx, 408 and transport failures, waiting what
 * {@code retry-after} asks (capped) or an exponential backoff with jitter. It reads retry-after itself because
 * generic retry libraries cannot see response headers; that is the whole reason this class exists. Every attempt
 * is timed in {@value #CALLS} (tags provider, endpoint, status, outcome), so latency and errors are seen per attempt,
 * retries included.
 */
@ApplicationScoped
public class Retrier {
    private static final Logger LOG = Logger.getLogger(Retrier.class);

    /** Prometheus: apex_provider_calls_seconds_{count,sum,max}. */
    static final String CALLS = "apex.provider.calls";

    private final ProvidersConfig.Retry config;
    private final MeterRegistry registry;

    public Retrier(ProvidersConfig config, MeterRegistry registry) {
        this.config = config.retry();
        this.registry = registry;
    }

    /** Retries every retryable answer. */
    public ProviderResponse call(String what, Supplier<Response> call) {
        return call(what, call, r -> true);
    }

    /**
     * A paid synchronous call: retried only when the provider answered (a 429 or a 5xx is not billed). A call that
     * got no answer at all (a read timeout) may have been processed and billed, so it is not sent again; it ends
     * as a retryable error that `apex retry` sends again when a person decides to.
     */
    public ProviderResponse callPaid(String what, Supplier<Response> call) {
        return callPaid(what, call, signal -> { });
    }

    /**
     * A paid synchronous call as {@link #callPaid(String, Supplier)}, handing what each answer (retries included)
     * says about the rate limits to {@code limits}, so the caller can pace its next calls to the provider's.
     */
    public ProviderResponse callPaid(String what, Supplier<Response> call, Consumer<RateLimitSignal> limits) {
        return attempts(what, call, Retrier::notProcessed, null, limits);
    }

    /**
     * Answers that say the call was not processed, so sending it again cannot pay twice: a rate limit (429) or an
     * overloaded provider (503, Anthropic's 529). A 500, 502 or 504 may come from a gateway whose upstream did the
     * work, so a paid call that gets one is not sent again by itself.
     */
    static boolean notProcessed(ProviderResponse answered) {
        return answered.status() == 429 || answered.status() == 503 || answered.status() == 529;
    }

    /**
     * @param mayRetry asked before each retry with the failed answer; false stops (used where a retry could pay
     *                 twice unless the provider's listing shows the first attempt failed)
     */
    public ProviderResponse call(String what, Supplier<Response> call, Predicate<ProviderResponse> mayRetry) {
        return attempts(what, call, mayRetry, null, null);
    }

    /** The body of a 2xx answer, read as it arrives. */
    @FunctionalInterface
    public interface BodyReader {
        void read(InputStream body) throws IOException;
    }

    /**
     * A download read as it arrives, never held whole (a results file can be far larger than the heap): opened with
     * the same bounded retries as {@link #call(String, Supplier)}, and the body of a 2xx answer handed to
     * {@code read}. Once reading has begun it is not retried here, since part of the body has already been handed
     * on: a body that breaks part-way throws {@link ProviderCallException}, and the caller discards what it got and
     * starts again. Returns the answer; its body is empty when {@code read} had it, the provider's error otherwise.
     */
    public ProviderResponse download(String what, Supplier<Response> call, BodyReader read) {
        return attempts(what, call, r -> true, read, null);
    }

    private ProviderResponse attempts(String what, Supplier<Response> call, Predicate<ProviderResponse> mayRetry,
                                      BodyReader read, Consumer<RateLimitSignal> limits) {
        ProviderResponse last = null;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            last = timed(what, call, read, limits);
            if (last.ok() || !last.retryable() || attempt == config.maxAttempts() || !mayRetry.test(last)) {
                return last;
            }
            int failures = attempt;
            Duration wait = last.retryAfter().map(d -> d.compareTo(config.maxDelay()) > 0 ? config.maxDelay() : d)
                    .orElseGet(() -> backoff(failures));
            LOG.infof("%s answered %d; retry %d/%d in %d ms", what, last.status(), attempt, config.maxAttempts() - 1,
                    wait.toMillis());
            sleep(wait);
        }
        return last;
    }

    private ProviderResponse timed(String what, Supplier<Response> call, BodyReader read,
                                   Consumer<RateLimitSignal> limits) {
        Timer.Sample sample = Timer.start(registry);
        ProviderResponse answer = null;
        try {
            answer = once(what, call, read, limits);
            return answer;
        } finally {
            // a download that broke part-way throws: it is timed as a failed call without a status
            sample.stop(Timer.builder(CALLS).description("Provider HTTP calls (each attempt), by endpoint and answer")
                    .tag("provider", provider(what)).tag("endpoint", endpoint(what))
                    .tag("status", answer == null ? "broken" : answer.status() < 0 ? "none"
                            : Integer.toString(answer.status()))
                    .tag("outcome", answer == null ? "broken" : answer.ok() ? "success"
                            : answer.status() < 0 ? "no_answer" : answer.retryable() ? "retryable" : "refused")
                    .register(registry));
        }
    }

    /** The provider a call description starts with ("OpenAI batch create"), lower case. */
    static String provider(String what) {
        String first = what.split(" ", 2)[0].toLowerCase(Locale.ROOT);
        return first.equals("openai") || first.equals("anthropic") ? first : "other";
    }

    /**
     * The rest of a call description as a short tag ("OpenAI batch create" is batch_create). The descriptions are
     * constants in the clients, so the tag stays low-cardinality; anything else becomes "other".
     */
    static String endpoint(String what) {
        String[] parts = what.split(" ", 2);
        if (parts.length < 2 || provider(what).equals("other")) {
            return "other";
        }
        String endpoint = parts[1].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return endpoint.length() > 40 ? "other" : endpoint;
    }

    private static ProviderResponse once(String what, Supplier<Response> call, BodyReader read,
                                         Consumer<RateLimitSignal> limits) {
        try (Response response = call.get()) {
            Optional<Duration> retryAfter = ProviderResponse.parseRetryAfter(response.getHeaderString("retry-after"));
            if (limits != null) {
                limits.accept(RateLimitSignal.read(response.getStatus(), response::getHeaderString, Instant.now()));
            }
            if (read != null && response.getStatus() >= 200 && response.getStatus() < 300) {
                readBody(what, response, read);
                return new ProviderResponse(response.getStatus(), "", retryAfter);
            }
            String body;
            try {
                body = response.hasEntity() ? response.readEntity(String.class) : "";
            } catch (ProcessingException e) {
                if (response.getStatus() >= 200 && response.getStatus() < 300) {
                    // answered, then cut off: for a paid call the work is done and billed, its reply lost
                    return new ProviderResponse(ProviderResponse.BROKEN_BODY, "the answer broke off while it was read: "
                            + e.getClass().getSimpleName(), retryAfter);
                }
                throw e;
            }
            return new ProviderResponse(response.getStatus(), body, retryAfter);
        } catch (ProcessingException e) {
            // a timeout or a refused connection: no answer at all
            if (limits != null) {
                limits.accept(RateLimitSignal.none(ProviderResponse.NO_ANSWER));
            }
            return new ProviderResponse(-1, "no answer: " + e.getClass().getSimpleName() + " "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), Optional.empty());
        }
    }

    /** A Quarkus REST client method returning {@link Response} streams its body: it is read here, never buffered. */
    private static void readBody(String what, Response response, BodyReader read) {
        try (InputStream body = response.readEntity(InputStream.class)) {
            read.read(body == null ? InputStream.nullInputStream() : body);
        } catch (IOException | UncheckedIOException | ProcessingException e) {
            throw new ProviderCallException(-1, ErrorKind.SERVER, what + " broke part-way ("
                    + e.getClass().getSimpleName() + " " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + "); what was read of it must be discarded and the download started again");
        }
    }

    Duration backoff(int attempt) {
        long base = config.baseDelay().toMillis() * (1L << Math.min(attempt - 1, 16));
        long capped = Math.min(base, config.maxDelay().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderCallException(-1, ErrorKind.TIMEOUT, "interrupted while waiting");
        }
    }
}
