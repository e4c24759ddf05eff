package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.simulator.config.SimulatorConfig;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One immutable snapshot of everything {@code POST /_sim/config} may change. Its JSON uses the property names
 * under {@code apex.simulator.} (kebab-case), so the admin API and application.properties read the same.
 */
public record Settings(long seed, int outputSizeChars, long openaiEnqueuedTokenLimit, Phases phases, Faults faults,
                       Judging judging) {

    /** The fault endpoint names; a name outside this list is a typo and is refused. */
    public static final List<String> ENDPOINTS = List.of(
            "openai.chat", "openai.files", "openai.files.content", "openai.batches.create", "openai.batches.get",
            "openai.batches.list", "openai.batches.cancel",
            "anthropic.messages", "anthropic.batches.create", "anthropic.batches.get", "anthropic.batches.list",
            "anthropic.batches.cancel", "anthropic.batches.results");

    /** The endpoints where the {@code created-*} faults (the batch is created, its answer goes wrong) apply. */
    public static final Set<String> CREATE_ENDPOINTS = Set.of("openai.batches.create", "anthropic.batches.create");

    public static final Set<String> REQUEST_ERROR_TYPES = Set.of("api_error", "overloaded_error");

    /** How a {@code created-timeout} ends after its hold: the real answer (late), a 504, or a closed connection. */
    public static final Set<String> CREATED_TIMEOUT_ENDS = Set.of("answer", "gateway-timeout", "drop");

    public Settings {
        if (outputSizeChars < 0) {
            throw new IllegalArgumentException("output-size-chars must be >= 0");
        }
        if (openaiEnqueuedTokenLimit < 0) {
            throw new IllegalArgumentException("openai-enqueued-token-limit must be >= 0");
        }
    }

    public record Phases(Duration validating, Duration inProgress, Duration finalizing) {
        public Phases {
            nonNegative("phases.validating", validating);
            nonNegative("phases.in-progress", inProgress);
            nonNegative("phases.finalizing", finalizing);
        }
    }

    /**
     * How the simulator judges a judge request ({@link JudgeRequest}): a hidden quality per model (log-strength; a
     * model not named, and a piece the simulator did not write, has 0), the standard deviation of the noise added to
     * each judgment, the log-odds added to the piece shown first (A), and the tie band (log-odds taken off both
     * sides' chances of winning, Rao-Kupper; 0 never ties).
     */
    public record Judging(Map<String, Double> quality, double noise, double positionBias, double tieBand) {
        public Judging {
            Map<String, Double> known = new TreeMap<>();
            quality.forEach((model, q) -> {
                if (!ModelCatalog.IDS.contains(model)) {
                    throw new IllegalArgumentException("Unknown model 'judge-quality." + model + "'; known: "
                            + new TreeSet<>(ModelCatalog.IDS));
                }
                finite("judge-quality." + model, q);
                known.put(model, q);
            });
            quality = Collections.unmodifiableMap(known);
            finite("judge-noise", noise);
            finite("judge-position-bias", positionBias);
            finite("judge-tie-band", tieBand);
            if (noise < 0 || tieBand < 0) {
                throw new IllegalArgumentException("judge-noise and judge-tie-band must be >= 0");
            }
        }

        /** The hidden quality of the model with this id; 0 (neutral) for a model not named or not known. */
        public double qualityOf(String model) {
            return model == null ? 0.0 : quality.getOrDefault(model, 0.0);
        }
    }

    public record Faults(Duration slowDelay, Duration timeoutHold, int retryAfterSeconds, double batchExpire,
                         double batchExpireCompletedFraction, double batchFailValidation, double requestError,
                         String requestErrorType, Duration listingLag, String createdTimeoutEnd, boolean echoKey,
                         double judgeGarbage, int judgeGarbageNext, Map<String, EndpointFaults> endpoints) {
        public Faults {
            nonNegative("faults.slow-delay", slowDelay);
            nonNegative("faults.timeout-hold", timeoutHold);
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("faults.retry-after-seconds must be >= 0");
            }
            rate("faults.batch-expire", batchExpire);
            rate("faults.batch-expire-completed-fraction", batchExpireCompletedFraction);
            rate("faults.batch-fail-validation", batchFailValidation);
            rate("faults.request-error", requestError);
            if (!REQUEST_ERROR_TYPES.contains(requestErrorType)) {
                throw new IllegalArgumentException("faults.request-error-type must be one of " + REQUEST_ERROR_TYPES);
            }
            nonNegative("faults.listing-lag", listingLag);
            if (!CREATED_TIMEOUT_ENDS.contains(createdTimeoutEnd)) {
                throw new IllegalArgumentException("faults.created-timeout-end must be one of " + CREATED_TIMEOUT_ENDS);
            }
            rate("faults.judge-garbage", judgeGarbage);
            if (judgeGarbageNext < 0) {
                throw new IllegalArgumentException("faults.judge-garbage-next must be >= 0");
            }
            Map<String, EndpointFaults> complete = new LinkedHashMap<>();
            for (String name : ENDPOINTS) {
                complete.put(name, EndpointFaults.NONE);
            }
            for (Map.Entry<String, EndpointFaults> e : endpoints.entrySet()) {
                if (!ENDPOINTS.contains(e.getKey())) {
                    throw new IllegalArgumentException("Unknown fault endpoint '" + e.getKey() + "'; known: " + ENDPOINTS);
                }
                if (!CREATE_ENDPOINTS.contains(e.getKey()) && e.getValue().createsFaults()) {
                    throw new IllegalArgumentException("The created-* faults apply only to " + CREATE_ENDPOINTS
                            + ", not to '" + e.getKey() + "'");
                }
                complete.put(e.getKey(), e.getValue());
            }
            endpoints = Map.copyOf(complete);
        }

        public EndpointFaults at(String endpoint) {
            return endpoints.getOrDefault(endpoint, EndpointFaults.NONE);
        }

        Faults with(int newJudgeGarbageNext, Map<String, EndpointFaults> newEndpoints) {
            return new Faults(slowDelay, timeoutHold, retryAfterSeconds, batchExpire, batchExpireCompletedFraction,
                    batchFailValidation, requestError, requestErrorType, listingLag, createdTimeoutEnd, echoKey,
                    judgeGarbage, newJudgeGarbageNext, newEndpoints);
        }
    }

    /**
     * Disjoint shares of calls to one endpoint that get each fault, together at most 1; and {@code next}: how many
     * of the coming calls get a fault for sure, per kind (taken first, in {@link Fault#KINDS} order).
     */
    public record EndpointFaults(double rateLimit, double serverError, double slow, double timeout,
                                 double createdServerError, double createdTimeout, Map<Fault, Integer> next) {
        public static final EndpointFaults NONE = new EndpointFaults(0, 0, 0, 0, 0, 0, Map.of());

        public EndpointFaults {
            rate("rate-limit", rateLimit);
            rate("server-error", serverError);
            rate("slow", slow);
            rate("timeout", timeout);
            rate("created-server-error", createdServerError);
            rate("created-timeout", createdTimeout);
            if (rateLimit + serverError + slow + timeout + createdServerError + createdTimeout > 1.0 + 1e-9) {
                throw new IllegalArgumentException("An endpoint's fault rates must add up to at most 1");
            }
            Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
            next.forEach((kind, count) -> {
                if (kind == Fault.NONE || count == null || count < 0) {
                    throw new IllegalArgumentException("next." + kind + " must be a fault kind with a count >= 0");
                }
                if (count > 0) {
                    counts.put(kind, count);
                }
            });
            next = counts.isEmpty() ? Map.of() : Collections.unmodifiableMap(counts);
        }

        /** The share of calls getting this kind of fault. */
        public double share(Fault kind) {
            return switch (kind) {
                case RATE_LIMIT -> rateLimit;
                case SERVER_ERROR -> serverError;
                case SLOW -> slow;
                case TIMEOUT -> timeout;
                case CREATED_SERVER_ERROR -> createdServerError;
                case CREATED_TIMEOUT -> createdTimeout;
                default -> 0.0;
            };
        }

        /** The kind the next call gets for sure, or {@link Fault#NONE}. */
        public Fault nextKind() {
            return Fault.KINDS.stream().filter(next::containsKey).findFirst().orElse(Fault.NONE);
        }

        /** These faults with one call of {@code kind} taken from {@code next}. */
        public EndpointFaults withOneTaken(Fault kind) {
            Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
            counts.putAll(next);
            counts.computeIfPresent(kind, (k, n) -> n - 1);
            return new EndpointFaults(rateLimit, serverError, slow, timeout, createdServerError, createdTimeout, counts);
        }

        boolean createsFaults() {
            return createdServerError > 0 || createdTimeout > 0 || next.keySet().stream().anyMatch(Fault::afterCreate);
        }
    }

    public static Settings from(SimulatorConfig c) {
        SimulatorConfig.Faults f = c.faults();
        Map<String, EndpointFaults> endpoints = new TreeMap<>();
        f.endpoints().forEach((name, e) -> {
            Map<Fault, Integer> next = new EnumMap<>(Fault.class);
            e.next().forEach((kind, count) -> next.put(kind(name, kind), count));
            endpoints.put(name, new EndpointFaults(e.rateLimit(), e.serverError(), e.slow(), e.timeout(),
                    e.createdServerError(), e.createdTimeout(), next));
        });
        return new Settings(c.seed(), c.outputSizeChars(), c.openaiEnqueuedTokenLimit(),
                new Phases(c.phases().validating(), c.phases().inProgress(), c.phases().finalizing()),
                new Faults(f.slowDelay(), f.timeoutHold(), f.retryAfterSeconds(), f.batchExpire(),
                        f.batchExpireCompletedFraction(), f.batchFailValidation(), f.requestError(),
                        f.requestErrorType(), f.listingLag(), f.createdTimeoutEnd(), f.echoKey(), f.judgeGarbage(),
                        f.judgeGarbageNext(), endpoints),
                new Judging(c.judgeQuality(), c.judgeNoise(), c.judgePositionBias(), c.judgeTieBand()));
    }

    /** The fault kind a {@code next} count names; a name outside {@link Fault#KINDS} is a typo and is refused. */
    private static Fault kind(String endpoint, String key) {
        return Fault.byKey(key).orElseThrow(() -> new IllegalArgumentException("Unknown fault kind 'faults.endpoints."
                + endpoint + ".next." + key + "'; known: " + Fault.KINDS.stream().map(Fault::key).toList()));
    }

    /** These settings with one call of {@code kind} taken from the {@code next} counts of {@code endpoint}. */
    public Settings withOneTaken(String endpoint, Fault kind) {
        Map<String, EndpointFaults> endpoints = new TreeMap<>(faults.endpoints());
        endpoints.put(endpoint, faults.at(endpoint).withOneTaken(kind));
        return withFaults(faults.with(faults.judgeGarbageNext(), endpoints));
    }

    /** These settings with one judge answer taken from {@code faults.judge-garbage-next} (none left: unchanged). */
    public Settings withOneJudgeGarbageTaken() {
        int left = Math.max(0, faults.judgeGarbageNext() - 1);
        return withFaults(faults.with(left, faults.endpoints()));
    }

    private Settings withFaults(Faults newFaults) {
        return new Settings(seed, outputSizeChars, openaiEnqueuedTokenLimit, phases, newFaults, judging);
    }

    public ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("seed", seed);
        root.put("output-size-chars", outputSizeChars);
        root.put("openai-enqueued-token-limit", openaiEnqueuedTokenLimit);
        root.putObject("phases")
                .put("validating", phases.validating().toString())
                .put("in-progress", phases.inProgress().toString())
                .put("finalizing", phases.finalizing().toString());
        ObjectNode fj = root.putObject("faults");
        fj.put("slow-delay", faults.slowDelay().toString());
        fj.put("timeout-hold", faults.timeoutHold().toString());
        fj.put("retry-after-seconds", faults.retryAfterSeconds());
        fj.put("batch-expire", faults.batchExpire());
        fj.put("batch-expire-completed-fraction", faults.batchExpireCompletedFraction());
        fj.put("batch-fail-validation", faults.batchFailValidation());
        fj.put("request-error", faults.requestError());
        fj.put("request-error-type", faults.requestErrorType());
        fj.put("listing-lag", faults.listingLag().toString());
        fj.put("created-timeout-end", faults.createdTimeoutEnd());
        fj.put("echo-key", faults.echoKey());
        fj.put("judge-garbage", faults.judgeGarbage());
        fj.put("judge-garbage-next", faults.judgeGarbageNext());
        ObjectNode ej = fj.putObject("endpoints");
        for (String name : ENDPOINTS) {
            EndpointFaults e = faults.at(name);
            ObjectNode one = ej.putObject(name).put("rate-limit", e.rateLimit()).put("server-error", e.serverError())
                    .put("slow", e.slow()).put("timeout", e.timeout());
            if (CREATE_ENDPOINTS.contains(name)) {
                one.put("created-server-error", e.createdServerError()).put("created-timeout", e.createdTimeout());
            }
            ObjectNode next = one.putObject("next");
            e.next().forEach((kind, count) -> next.put(kind.key(), count));
        }
        ObjectNode quality = root.putObject("judge-quality");
        judging.quality().forEach(quality::put);
        root.put("judge-noise", judging.noise());
        root.put("judge-position-bias", judging.positionBias());
        root.put("judge-tie-band", judging.tieBand());
        return root;
    }

    /**
     * These settings with the fields of {@code patch} applied; absent fields keep their value, unknown ones are
     * refused so that a typo cannot silently leave a fault off.
     */
    public Settings merge(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("The config must be a JSON object");
        }
        Reader r = new Reader(patch, "");
        long newSeed = r.longValue("seed", seed);
        int newOutput = (int) r.longValue("output-size-chars", outputSizeChars);
        long newLimit = r.longValue("openai-enqueued-token-limit", openaiEnqueuedTokenLimit);
        Phases newPhases = phases;
        Faults newFaults = faults;
        JsonNode pj = r.object("phases");
        if (pj != null) {
            Reader p = new Reader(pj, "phases.");
            newPhases = new Phases(p.duration("validating", phases.validating()),
                    p.duration("in-progress", phases.inProgress()), p.duration("finalizing", phases.finalizing()));
            p.done();
        }
        JsonNode fj = r.object("faults");
        if (fj != null) {
            Reader f = new Reader(fj, "faults.");
            Map<String, EndpointFaults> endpoints = new TreeMap<>(faults.endpoints());
            JsonNode ej = f.object("endpoints");
            if (ej != null) {
                Iterator<Map.Entry<String, JsonNode>> it = ej.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!ENDPOINTS.contains(e.getKey())) {
                        throw new IllegalArgumentException("Unknown fault endpoint '" + e.getKey() + "'; known: " + ENDPOINTS);
                    }
                    EndpointFaults old = faults.at(e.getKey());
                    String path = "faults.endpoints." + e.getKey() + ".";
                    Reader er = new Reader(e.getValue(), path);
                    Map<Fault, Integer> next = new EnumMap<>(Fault.class);
                    next.putAll(old.next());
                    JsonNode nj = er.object("next");
                    if (nj != null) {
                        Reader nr = new Reader(nj, path + "next.");
                        nj.fieldNames().forEachRemaining(kind ->
                                next.put(kind(e.getKey(), kind), (int) nr.longValue(kind, 0)));
                        nr.done();
                    }
                    endpoints.put(e.getKey(), new EndpointFaults(er.doubleValue("rate-limit", old.rateLimit()),
                            er.doubleValue("server-error", old.serverError()), er.doubleValue("slow", old.slow()),
                            er.doubleValue("timeout", old.timeout()),
                            er.doubleValue("created-server-error", old.createdServerError()),
                            er.doubleValue("created-timeout", old.createdTimeout()), next));
                    er.done();
                }
            }
            newFaults = new Faults(f.duration("slow-delay", faults.slowDelay()),
                    f.duration("timeout-hold", faults.timeoutHold()),
                    (int) f.longValue("retry-after-seconds", faults.retryAfterSeconds()),
                    f.doubleValue("batch-expire", faults.batchExpire()),
                    f.doubleValue("batch-expire-completed-fraction", faults.batchExpireCompletedFraction()),
                    f.doubleValue("batch-fail-validation", faults.batchFailValidation()),
                    f.doubleValue("request-error", faults.requestError()),
                    f.text("request-error-type", faults.requestErrorType()),
                    f.duration("listing-lag", faults.listingLag()),
                    f.text("created-timeout-end", faults.createdTimeoutEnd()),
                    f.booleanValue("echo-key", faults.echoKey()),
                    f.doubleValue("judge-garbage", faults.judgeGarbage()),
                    (int) f.longValue("judge-garbage-next", faults.judgeGarbageNext()), endpoints);
            f.done();
        }
        Map<String, Double> quality = new TreeMap<>(judging.quality());
        JsonNode qj = r.object("judge-quality");
        if (qj != null) {
            Reader q = new Reader(qj, "judge-quality.");
            qj.fieldNames().forEachRemaining(model ->
                    quality.put(model, q.doubleValue(model, quality.getOrDefault(model, 0.0))));
            q.done();
        }
        Judging newJudging = new Judging(quality, r.doubleValue("judge-noise", judging.noise()),
                r.doubleValue("judge-position-bias", judging.positionBias()),
                r.doubleValue("judge-tie-band", judging.tieBand()));
        r.done();
        return new Settings(newSeed, newOutput, newLimit, newPhases, newFaults, newJudging);
    }

    private static void nonNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a non-negative ISO-8601 duration");
        }
    }

    private static void finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + value);
        }
    }

    private static void rate(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0.0 and 1.0, was " + value);
        }
    }

    /** Reads the fields of one JSON object and remembers which it saw, to refuse the rest. */
    private static final class Reader {
        private final JsonNode node;
        private final String path;
        private final java.util.Set<String> seen = new java.util.HashSet<>();

        Reader(JsonNode node, String path) {
            if (!node.isObject()) {
                throw new IllegalArgumentException(path + " must be a JSON object");
            }
            this.node = node;
            this.path = path;
        }

        private JsonNode field(String name) {
            seen.add(name);
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : v;
        }

        JsonNode object(String name) {
            return field(name);
        }

        long longValue(String name, long current) {
            return typed(name, current, v -> v.canConvertToLong() && v.isIntegralNumber(), "an integer",
                    JsonNode::asLong);
        }

        double doubleValue(String name, double current) {
            return typed(name, current, JsonNode::isNumber, "a number", JsonNode::asDouble);
        }

        boolean booleanValue(String name, boolean current) {
            return typed(name, current, JsonNode::isBoolean, "true or false", JsonNode::asBoolean);
        }

        /** The field's value, {@code current} when it is absent; refused unless it is {@code what} it must be. */
        private <T> T typed(String name, T current, Predicate<JsonNode> fits, String what, Function<JsonNode, T> read) {
            JsonNode v = field(name);
            if (v == null) {
                return current;
            }
            if (!fits.test(v)) {
                throw new IllegalArgumentException(path + name + " must be " + what);
            }
            return read.apply(v);
        }

        String text(String name, String current) {
            JsonNode v = field(name);
            return v == null ? current : v.asText();
        }

        Duration duration(String name, Duration current) {
            JsonNode v = field(name);
            if (v == null) {
                return current;
            }
            try {
                return v.isNumber() ? Duration.ofMillis(v.asLong()) : Duration.parse(v.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(path + name + " must be an ISO-8601 duration such as PT2M");
            }
        }

        void done() {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!seen.contains(n)) {
                    throw new IllegalArgumentException("Unknown setting '" + path + n + "'");
                }
            }
        }
    }
}
