package io.apexaudition.simulator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's start-up settings ({@code apex.simulator.*}); the runtime-changeable part is copied into
 * {@code RuntimeSettings} at start and on {@code POST /_sim/reset}.
 */
@ConfigMapping(prefix = "apex.simulator")
public interface SimulatorConfig {

    /** The only key {@code Authorization: Bearer} accepts on the OpenAI endpoints. */
    @WithDefault("sim-openai-key")
    String openaiApiKey();

    /** The only key {@code x-api-key} accepts on the Anthropic endpoints. */
    @WithDefault("sim-anthropic-key")
    String anthropicApiKey();

    /** Base URL put in front of Anthropic {@code results_url}; absent means the URL the request came in on. */
    Optional<String> publicBaseUrl();

    /** Seeds fault decisions, so a run with the same calls sees the same faults. */
    @WithDefault("42")
    long seed();

    /** About how many characters a visible output should have; 0 lets each request pick its natural size. */
    @WithDefault("0")
    int outputSizeChars();

    /** OpenAI's per-model cap on enqueued prompt tokens per batch; 0 means no cap. */
    @WithDefault("0")
    long openaiEnqueuedTokenLimit();

    /**
     * The hidden quality of each model as a judge sees its writing (log-strength, by model id without a date, e.g.
     * {@code claude-opus-4-1}); a model not named here, and a piece the simulator did not write, has 0. The defaults
     * are in application.properties.
     */
    Map<String, Double> judgeQuality();

    /** Standard deviation of the noise a judge adds to each judgment (log-odds; rubric: per criterion). */
    @WithDefault("0.5")
    double judgeNoise();

    /** Log-odds a pairwise judge adds in favour of the piece shown first (A). */
    @WithDefault("0.4")
    double judgePositionBias();

    /** Log-odds taken off both pieces' chances of winning, which leaves the rest to a tie (0: never a tie). */
    @WithDefault("0.25")
    double judgeTieBand();

    Admin admin();

    Phases phases();

    Faults faults();

    RateLimits rateLimits();

    /**
     * Request and token budgets per model per window, as a provider's rate limits: every synchronous answer then
     * carries OpenAI's {@code x-ratelimit-*} or Anthropic's {@code anthropic-ratelimit-*} headers, and a call over
     * budget gets a 429 with {@code retry-after} (not billed). 0 turns a budget off; both 0 sends no headers.
     */
    interface RateLimits {
        /** Synchronous calls per model per window. */
        @WithDefault("0")
        long requests();

        /** Input tokens per model per window (estimated as a request's characters / 4). */
        @WithDefault("0")
        long tokens();

        /** How long a budget lasts before it refills whole. */
        @WithDefault("PT1M")
        Duration window();
    }

    interface Admin {
        /** Opens {@code /_sim/*}; refused anyway under the {@code prod} profile. */
        @WithDefault("false")
        boolean enabled();
    }

    /** How long a batch spends in each phase; 0 makes the phase instant. */
    interface Phases {
        @WithDefault("PT0S")
        Duration validating();

        @WithDefault("PT0S")
        Duration inProgress();

        @WithDefault("PT0S")
        Duration finalizing();
    }

    interface Faults {
        /** Extra delay of a {@code slow} fault. */
        @WithDefault("PT2S")
        Duration slowDelay();

        /** How long a {@code timeout} fault holds the request before answering 504. */
        @WithDefault("PT30S")
        Duration timeoutHold();

        /** Value of the {@code retry-after} header on a 429. */
        @WithDefault("1")
        int retryAfterSeconds();

        /** Share of batches that expire with partial results. */
        @WithDefault("0")
        double batchExpire();

        /** Share of an expiring batch's requests that finish before it expires. */
        @WithDefault("0.5")
        double batchExpireCompletedFraction();

        /** Share of OpenAI batches that fail validation. */
        @WithDefault("0")
        double batchFailValidation();

        /** Share of batch requests that end in a server-side error. */
        @WithDefault("0")
        double requestError();

        /** {@code api_error} or {@code overloaded_error}. */
        @WithDefault("api_error")
        String requestErrorType();

        /** A batch shows in the list endpoints only this long after its creation (simulated time). */
        @WithDefault("PT0S")
        Duration listingLag();

        /** How a {@code created-timeout} ends after {@code timeout-hold}: {@code answer}, {@code gateway-timeout}, {@code drop}. */
        @WithDefault("gateway-timeout")
        String createdTimeoutEnd();

        /** Puts the key the request carried into every provider error message, to test the clients' redaction. */
        @WithDefault("false")
        boolean echoKey();

        /** Share of judge answers that come back as text no JSON can be read from. */
        @WithDefault("0")
        double judgeGarbage();

        /** How many of the coming judge answers are unreadable for sure; counted down. */
        @WithDefault("0")
        int judgeGarbageNext();

        /** Per endpoint name, e.g. {@code "openai.chat"}. */
        Map<String, EndpointFaults> endpoints();
    }

    interface EndpointFaults {
        @WithDefault("0")
        double rateLimit();

        @WithDefault("0")
        double serverError();

        @WithDefault("0")
        double slow();

        @WithDefault("0")
        double timeout();

        /** Batch creates only: the batch is created, the answer is a 500. */
        @WithDefault("0")
        double createdServerError();

        /** Batch creates only: the batch is created, the answer is held {@code timeout-hold}, then ends as configured. */
        @WithDefault("0")
        double createdTimeout();

        /** How many of the coming calls get each kind of fault for sure, e.g. {@code next.server-error=3}. */
        Map<String, Integer> next();
    }
}
