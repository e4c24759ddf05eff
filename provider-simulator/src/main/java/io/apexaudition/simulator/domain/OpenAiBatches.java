package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Consumes batch creations over uploaded JSONL files and the clock; produces OpenAI batch objects whose status
 * follows validating -> in_progress -> finalizing -> completed (or failed, expired, cancelling -> cancelled), and
 * the output and error files once a batch ends.
 */
@ApplicationScoped
public class OpenAiBatches {
    private static final Logger LOG = Logger.getLogger(OpenAiBatches.class);
    public static final String CHAT_ENDPOINT = "/v1/chat/completions";
    public static final int MAX_REQUESTS = 50_000;
    private static final int MAX_REPORTED_ERRORS = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FileStore files;
    private final OpenAiRules rules;
    private final OpenAiCompletions completions;
    private final Ledger ledger;
    private final FaultInjector faults;
    private final RuntimeSettings settings;
    private final Clock clock;
    private final BatchStore<Batch> batches = new BatchStore<>(
            id -> Refusal.openAi(404, "No batch found with id '" + id + "'.", null, null));

    public OpenAiBatches(FileStore files, OpenAiRules rules, OpenAiCompletions completions, Ledger ledger,
                         FaultInjector faults, RuntimeSettings settings, Clock clock) {
        this.files = files;
        this.rules = rules;
        this.completions = completions;
        this.ledger = ledger;
        this.faults = faults;
        this.settings = settings;
        this.clock = clock;
    }

    private static final class Batch extends BatchStore.Stored {
        final String inputFileId;
        final String endpoint;
        final String completionWindow;
        final JsonNode metadata;
        final int total;
        /** Dropped once delivered: the output and error files then hold all a client can still ask for. */
        List<BatchItem> items;
        final ArrayNode errors;
        final String model;
        final long promptTokens;
        boolean delivered;
        String outputFileId;
        String errorFileId;
        int completed;
        int failed;

        Batch(String id, long sequence, String inputFileId, String endpoint, String completionWindow,
              JsonNode metadata, List<BatchItem> items, ArrayNode errors, String model, long promptTokens,
              Timeline timeline) {
            super(id, sequence, timeline);
            this.inputFileId = inputFileId;
            this.endpoint = endpoint;
            this.completionWindow = completionWindow;
            this.metadata = metadata;
            this.items = items;
            this.total = items.size();
            this.errors = errors;
            this.model = model;
            this.promptTokens = promptTokens;
        }
    }

    public ObjectNode create(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw Refusal.openAi(400, "The request body must be a JSON object.", null, null);
        }
        String inputFileId = requiredText(request, "input_file_id");
        String endpoint = requiredText(request, "endpoint");
        String window = requiredText(request, "completion_window");
        if (!CHAT_ENDPOINT.equals(endpoint)) {
            throw Refusal.openAi(400, "Invalid value: '" + endpoint + "'. Supported values are: '" + CHAT_ENDPOINT
                    + "' (the provider simulator implements chat completions only).", "endpoint", "invalid_value");
        }
        if (!"24h".equals(window)) {
            throw Refusal.openAi(400, "Invalid value: '" + window + "'. Supported values are: '24h'.",
                    "completion_window", "invalid_value");
        }
        JsonNode metadata = request.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw Refusal.openAi(400, "Invalid type for 'metadata': expected an object.", "metadata", "invalid_type");
        }
        FileStore.StoredFile file = files.get(inputFileId).orElseThrow(() ->
                Refusal.openAi(404, "No such File object: " + inputFileId, "input_file_id", null));
        if (!"batch".equals(file.purpose())) {
            throw Refusal.openAi(400, "Invalid 'input_file_id': '" + inputFileId
                    + "'. The file must have purpose 'batch'.", "input_file_id", "invalid_value");
        }

        Settings current = settings.current();
        Parsed parsed = parse(file.text(), endpoint);
        ArrayNode errors = parsed.errors;
        Instant now = clock.instant();
        if (errors.isEmpty() && current.openaiEnqueuedTokenLimit() > 0) {
            long enqueued = enqueuedTokens(parsed.model, now) + parsed.promptTokens;
            if (enqueued > current.openaiEnqueuedTokenLimit()) {
                errors.add(error("token_limit_exceeded", null, "Enqueued token limit reached for " + parsed.model
                        + ". Limit: " + current.openaiEnqueuedTokenLimit() + " enqueued tokens. Please try again"
                        + " once some in_progress batches have been completed.", null));
            }
        }
        if (errors.isEmpty() && faults.chance(current.faults().batchFailValidation())) {
            errors.add(error("invalid_request", null,
                    "Simulated validation failure (fault injection: faults.batch-fail-validation).", null));
        }
        boolean failed = !errors.isEmpty();
        boolean expire = !failed && faults.chance(current.faults().batchExpire());
        List<BatchItem> items = new ArrayList<>();
        if (!failed) {
            for (ParsedLine line : parsed.lines) {
                Violation violation = rules.check(line.body).orElse(null);
                boolean faulted = violation == null && faults.chance(current.faults().requestError());
                items.add(new BatchItem(line.customId, LongTexts.share(line.body), line.body.path("model").asText(null),
                        violation, faulted));
            }
        }
        Timeline timeline = new Timeline(now, current.phases(), items.size(), expire,
                current.faults().batchExpireCompletedFraction(), failed);
        Batch batch = new Batch(Ids.hex("batch_", 32), batches.nextSequence(), inputFileId, endpoint, window,
                metadata == null ? null : metadata.deepCopy(), List.copyOf(items), failed ? errors : null,
                parsed.model, parsed.promptTokens, timeline);
        batches.add(batch);
        LOG.infof("OpenAI batch %s created over %s: %d requests%s", batch.id, inputFileId, items.size(),
                failed ? " (fails validation)" : expire ? " (will expire)" : "");
        return render(batch, now);
    }

    public ObjectNode get(String id) {
        return render(find(id), clock.instant());
    }

    public ObjectNode cancel(String id) {
        Batch batch = find(id);
        Instant now = clock.instant();
        synchronized (batch) {
            deliverIfDue(batch, now);
            Timeline.Phase phase = batch.timeline.phaseAt(now);
            if (!batch.timeline.cancel(now)) {
                throw Refusal.openAi(409, "Cannot cancel a batch with status '" + status(phase) + "'.", null, null);
            }
        }
        LOG.infof("OpenAI batch %s cancelling", id);
        return render(batch, now);
    }

    /** Newest first, as the real list endpoint pages. */
    public ObjectNode list(int limit, String after) {
        if (limit < 1 || limit > 100) {
            throw Refusal.openAi(400, "Invalid 'limit': expected a value between 1 and 100, but got " + limit
                    + " instead.", "limit", "invalid_value");
        }
        Instant now = clock.instant();
        Duration lag = settings.current().faults().listingLag();
        List<Batch> ordered = batches.listedNewestFirst(now, lag);
        int start = 0;
        if (after != null && !after.isBlank()) {
            Batch cursor = find(after);
            start = ordered.indexOf(cursor) + 1;
        }
        List<Batch> page = ordered.subList(Math.min(start, ordered.size()), Math.min(start + limit, ordered.size()));
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        page.forEach(b -> data.add(render(b, now)));
        list.put("first_id", page.isEmpty() ? null : page.get(0).id);
        list.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
        list.put("has_more", start + page.size() < ordered.size());
        return list;
    }

    /** Delivers every batch whose end has come, so the ledger is complete when read. */
    public void deliverAllDue() {
        Instant now = clock.instant();
        batches.forEachLocked(b -> deliverIfDue(b, now));
    }

    public List<BatchSummary> summaries() {
        Instant now = clock.instant();
        return batches.oldestFirst().stream()
                .map(b -> new BatchSummary("openai", b.id, status(b.timeline.phaseAt(now)), b.total,
                        b.timeline.createdAt()))
                .collect(Collectors.toList());
    }

    public void clear() {
        batches.clear();
    }

    private Batch find(String id) {
        return batches.find(id);
    }

    private ObjectNode render(Batch b, Instant now) {
        synchronized (b) {
            deliverIfDue(b, now);
            Timeline t = b.timeline;
            Timeline.Phase phase = t.phaseAt(now);
            Instant cancelAt = t.cancelAt();
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("id", b.id);
            o.put("object", "batch");
            o.put("endpoint", b.endpoint);
            if (b.errors == null) {
                o.putNull("errors");
            } else {
                o.putObject("errors").put("object", "list").set("data", b.errors);
            }
            o.put("input_file_id", b.inputFileId);
            o.put("completion_window", b.completionWindow);
            o.put("status", status(phase));
            o.put("output_file_id", b.outputFileId);
            o.put("error_file_id", b.errorFileId);
            o.put("created_at", t.createdAt().getEpochSecond());
            boolean started = phase != Timeline.Phase.VALIDATING && phase != Timeline.Phase.FAILED
                    && (cancelAt == null || !cancelAt.isBefore(t.startedAt()));
            boolean finalized = phase == Timeline.Phase.FINALIZING || phase == Timeline.Phase.COMPLETED
                    || (cancelAt != null && !t.expires() && !cancelAt.isBefore(t.processingEndsAt()));
            epoch(o, "in_progress_at", started ? t.startedAt() : null);
            epoch(o, "expires_at", t.expiresAt());
            epoch(o, "finalizing_at", finalized ? t.processingEndsAt() : null);
            epoch(o, "completed_at", phase == Timeline.Phase.COMPLETED ? t.endedAt(now) : null);
            epoch(o, "failed_at", phase == Timeline.Phase.FAILED ? t.endedAt(now) : null);
            epoch(o, "expired_at", phase == Timeline.Phase.EXPIRED ? t.endedAt(now) : null);
            epoch(o, "cancelling_at", cancelAt);
            epoch(o, "cancelled_at", phase == Timeline.Phase.CANCELLED ? t.endedAt(now) : null);
            ObjectNode counts = o.putObject("request_counts");
            if (b.delivered) {
                counts.put("total", b.total).put("completed", b.completed).put("failed", b.failed);
            } else if (phase == Timeline.Phase.VALIDATING || phase == Timeline.Phase.FAILED) {
                counts.put("total", 0).put("completed", 0).put("failed", 0);
            } else {
                int done = t.doneCount(now);
                int ok = (int) b.items.subList(0, done).stream().filter(BatchItem::succeeds).count();
                counts.put("total", b.total).put("completed", ok).put("failed", done - ok);
            }
            o.set("metadata", b.metadata);
            return o;
        }
    }

    private void deliverIfDue(Batch b, Instant now) {
        Timeline.Phase phase = b.timeline.phaseAt(now);
        if (b.delivered || !phase.delivers()) {
            return;
        }
        int done = b.timeline.doneCount(now);
        boolean cancelled = phase == Timeline.Phase.CANCELLED;
        List<String> outputLines = new ArrayList<>();
        List<String> errorLines = new ArrayList<>();
        for (int i = 0; i < b.items.size(); i++) {
            BatchItem item = b.items.get(i);
            ObjectNode line = JsonNodeFactory.instance.objectNode();
            line.put("id", Ids.hex("batch_req_", 32));
            line.put("custom_id", item.customId());
            if (i >= done) {
                line.putNull("response");
                line.putObject("error").put("code", cancelled ? "batch_cancelled" : "batch_expired")
                        .put("message", cancelled
                                ? "This request was not executed because the batch was cancelled."
                                : "This request could not be executed before the completion window expired.");
                errorLines.add(line.toString());
                b.failed++;
                continue;
            }
            ObjectNode response = line.putObject("response");
            if (item.violation() != null) {
                response.put("status_code", item.violation().status());
                response.put("request_id", Ids.hex("req_", 32));
                response.set("body", ProviderErrors.openAi(item.violation()));
                line.putNull("error");
                errorLines.add(line.toString());
                b.failed++;
            } else if (item.faulted()) {
                boolean overloaded = "overloaded_error".equals(settings.current().faults().requestErrorType());
                response.put("status_code", overloaded ? 503 : 500);
                response.put("request_id", Ids.hex("req_", 32));
                response.set("body", overloaded
                        ? ProviderErrors.openAi("The engine is currently overloaded, please try again later.",
                        "server_error", null, "engine_overloaded")
                        : ProviderErrors.openAi("The server had an error while processing your request. Sorry about that!",
                        "server_error", null, "server_error"));
                line.putNull("error");
                errorLines.add(line.toString());
                b.failed++;
            } else {
                ObjectNode completion = completions.complete(item.body());
                response.put("status_code", 200);
                response.put("request_id", Ids.hex("req_", 32));
                response.set("body", completion);
                line.putNull("error");
                outputLines.add(line.toString());
                b.completed++;
                ledger.record(new Ledger.Entry("openai", "batch", b.id, item.customId(), item.model(), item.body(),
                        completion.get("usage"), b.timeline.doneAt(i)));
            }
        }
        // The real service returns lines in completion order, not input order; clients must match on custom_id.
        Random shuffle = new Random(Canonical.seed(b.id));
        Collections.shuffle(outputLines, shuffle);
        Collections.shuffle(errorLines, shuffle);
        if (!outputLines.isEmpty()) {
            b.outputFileId = files.put(b.id + "_output.jsonl", "batch_output", jsonl(outputLines)).id();
        }
        if (!errorLines.isEmpty()) {
            b.errorFileId = files.put(b.id + "_error.jsonl", "batch_output", jsonl(errorLines)).id();
        }
        b.delivered = true;
        b.items = null;
        LOG.infof("OpenAI batch %s %s: %d completed, %d failed", b.id, status(phase), b.completed, b.failed);
    }

    private long enqueuedTokens(String model, Instant now) {
        return batches.stream()
                .filter(b -> model != null && model.equals(b.model) && !b.timeline.phaseAt(now).terminal())
                .mapToLong(b -> b.promptTokens).sum();
    }

    private static byte[] jsonl(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String status(Timeline.Phase phase) {
        return phase.name().toLowerCase();
    }

    private static void epoch(ObjectNode o, String name, Instant t) {
        if (t == null) {
            o.putNull(name);
        } else {
            o.put(name, t.getEpochSecond());
        }
    }

    private static String requiredText(JsonNode request, String name) {
        JsonNode v = request.get(name);
        if (v == null || v.isNull() || !v.isTextual()) {
            throw Refusal.openAi(400, "Missing required parameter: '" + name + "'.", name, "missing_required_parameter");
        }
        return v.asText();
    }

    private static ObjectNode error(String code, Integer line, String message, String param) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("code", code);
        e.put("line", line);
        e.put("message", message);
        e.put("param", param);
        return e;
    }

    private record ParsedLine(String customId, JsonNode body) {
    }

    private record Parsed(List<ParsedLine> lines, ArrayNode errors, String model, long promptTokens) {
    }

    /** Checks the file as OpenAI's validating phase does; any error fails the whole batch. */
    private static Parsed parse(String content, String endpoint) {
        ArrayNode errors = JsonNodeFactory.instance.arrayNode();
        List<ParsedLine> lines = new ArrayList<>();
        Set<String> customIds = new HashSet<>();
        String model = null;
        long promptTokens = 0;
        String[] raw = content.split("\n", -1);
        long nonBlank = java.util.Arrays.stream(raw).filter(l -> !l.isBlank()).count();
        if (nonBlank == 0) {
            errors.add(error("empty_file", null, "The batch input file is empty.", null));
            return new Parsed(lines, errors, null, 0);
        }
        if (nonBlank > MAX_REQUESTS) {
            errors.add(error("too_many_requests", null, "The batch input file has " + nonBlank
                    + " requests; a batch may hold at most " + MAX_REQUESTS + ".", null));
            return new Parsed(lines, errors, null, 0);
        }
        for (int i = 0; i < raw.length && errors.size() < MAX_REPORTED_ERRORS; i++) {
            String text = raw[i].strip();
            int lineNo = i + 1;
            if (text.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                errors.add(error("invalid_request", lineNo, "This line is not parseable as valid JSON.", null));
                continue;
            }
            Optional<String> missing = java.util.stream.Stream.of("custom_id", "method", "url", "body")
                    .filter(f -> node == null || !node.isObject() || !node.hasNonNull(f)).findFirst();
            if (missing.isPresent()) {
                errors.add(error("invalid_request", lineNo, "Missing required parameter: '" + missing.get() + "'.",
                        missing.get()));
                continue;
            }
            if (!node.get("body").isObject() || !node.get("custom_id").isTextual()) {
                errors.add(error("invalid_request", lineNo,
                        "'custom_id' must be a string and 'body' a JSON object.", null));
                continue;
            }
            if (!"POST".equals(node.get("method").asText())) {
                errors.add(error("invalid_request", lineNo, "Invalid value for 'method': only POST is supported.",
                        "method"));
                continue;
            }
            if (!endpoint.equals(node.get("url").asText())) {
                errors.add(error("invalid_request", lineNo, "The URL provided for this request ('"
                        + node.get("url").asText() + "') does not match the batch endpoint '" + endpoint + "'.", "url"));
                continue;
            }
            String customId = node.get("custom_id").asText();
            if (!customIds.add(customId)) {
                errors.add(error("duplicate_custom_id", lineNo, "The custom_id for this request is a duplicate of "
                        + "another request. The custom_id parameter must be unique for each individual request in a batch.",
                        "custom_id"));
                continue;
            }
            JsonNode body = node.get("body");
            String lineModel = body.path("model").asText(null);
            if (lineModel != null) {
                if (model == null) {
                    model = lineModel;
                } else if (!model.equals(lineModel)) {
                    errors.add(error("model_mismatch", lineNo, "The provided model '" + lineModel
                            + "' does not match the model '" + model + "' of the other requests in this file: "
                            + "a batch input file may only contain requests for a single model.", "body.model"));
                    continue;
                }
            }
            for (JsonNode message : body.path("messages")) {
                promptTokens += Tokens.of(PromptText.of(message.get("content")));
            }
            lines.add(new ParsedLine(customId, body));
        }
        return new Parsed(lines, errors, model, promptTokens);
    }
}
