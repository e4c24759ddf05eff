package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Consumes Message Batch creations and the clock; produces message_batch objects (in_progress -> canceling ->
 * ended) and their JSONL results. As on the real API, parameter problems are accepted at submission and only
 * show as {@code errored} results once the batch has ended.
 */
@ApplicationScoped
public class AnthropicBatches {
    private static final Logger LOG = Logger.getLogger(AnthropicBatches.class);
    public static final int MAX_REQUESTS = 100_000;

    private final AnthropicRules rules;
    private final AnthropicMessages messages;
    private final Ledger ledger;
    private final FaultInjector faults;
    private final RuntimeSettings settings;
    private final Clock clock;
    private final BatchStore<Batch> batches = new BatchStore<>(
            id -> Refusal.anthropic(404, "not_found_error", "No message batch found with id '" + id + "'."));

    public AnthropicBatches(AnthropicRules rules, AnthropicMessages messages, Ledger ledger, FaultInjector faults,
                            RuntimeSettings settings, Clock clock) {
        this.rules = rules;
        this.messages = messages;
        this.ledger = ledger;
        this.faults = faults;
        this.settings = settings;
        this.clock = clock;
    }

    private static final class Batch extends BatchStore.Stored {
        final int total;
        /** Dropped once delivered: the results then hold all a client can still ask for. */
        List<BatchItem> items;
        boolean delivered;
        Packed results;
        int succeeded;
        int errored;
        int canceled;
        int expired;

        Batch(String id, long sequence, List<BatchItem> items, Timeline timeline) {
            super(id, sequence, timeline);
            this.items = items;
            this.total = items.size();
        }
    }

    /** @param resultsBase absolute URL prefix, ending in "/", that {@code results_url} is built on */
    public ObjectNode create(JsonNode request, String resultsBase) {
        if (request == null || !request.isObject()) {
            throw invalid("Request body must be a JSON object");
        }
        JsonNode requests = request.get("requests");
        if (requests == null || requests.isNull()) {
            throw invalid("requests: Field required");
        }
        if (!requests.isArray() || requests.isEmpty()) {
            throw invalid("requests: List should have at least 1 item after validation, not 0");
        }
        if (requests.size() > MAX_REQUESTS) {
            throw invalid("requests: List should have at most " + MAX_REQUESTS + " items after validation, not "
                    + requests.size());
        }
        Set<String> customIds = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            JsonNode r = requests.get(i);
            if (!r.path("custom_id").isTextual()) {
                throw invalid("requests." + i + ".custom_id: Field required");
            }
            if (!r.path("params").isObject()) {
                throw invalid("requests." + i + ".params: Field required");
            }
            if (!customIds.add(r.get("custom_id").asText())) {
                throw invalid("requests: Found duplicate custom_id '" + r.get("custom_id").asText()
                        + "'; every request in a batch needs its own custom_id");
            }
        }
        Settings current = settings.current();
        boolean expire = faults.chance(current.faults().batchExpire());
        List<BatchItem> items = new ArrayList<>();
        for (JsonNode r : requests) {
            String customId = r.get("custom_id").asText();
            JsonNode params = r.get("params");
            Violation violation = rules.checkCustomId(customId).or(() -> rules.check(params, true)).orElse(null);
            boolean faulted = violation == null && faults.chance(current.faults().requestError());
            items.add(new BatchItem(customId, LongTexts.share(params), params.path("model").asText(null), violation,
                    faulted));
        }
        Instant now = clock.instant();
        Timeline timeline = new Timeline(now, current.phases(), items.size(), expire,
                current.faults().batchExpireCompletedFraction(), false);
        Batch batch = new Batch(Ids.base62("msgbatch_01", 22), batches.nextSequence(), List.copyOf(items),
                timeline);
        batches.add(batch);
        LOG.infof("Anthropic batch %s created: %d requests%s", batch.id, items.size(), expire ? " (will expire)" : "");
        return render(batch, now, resultsBase);
    }

    public ObjectNode get(String id, String resultsBase) {
        return render(find(id), clock.instant(), resultsBase);
    }

    public ObjectNode cancel(String id, String resultsBase) {
        Batch batch = find(id);
        Instant now = clock.instant();
        synchronized (batch) {
            deliverIfDue(batch, now);
            if (!batch.timeline.cancel(now)) {
                throw Refusal.anthropic(409, "invalid_request_error", "Batch " + id
                        + " cannot be canceled: its processing_status is '" + status(batch.timeline.phaseAt(now)) + "'.");
            }
        }
        LOG.infof("Anthropic batch %s canceling", id);
        return render(batch, now, resultsBase);
    }

    /** The JSONL results; refused with 404 until the batch has ended, as results do not exist before. */
    public String results(String id) {
        Batch batch = find(id);
        Instant now = clock.instant();
        synchronized (batch) {
            deliverIfDue(batch, now);
            if (!batch.delivered) {
                throw Refusal.anthropic(404, "not_found_error", "Results for message batch " + id
                        + " are not available until its processing has ended (processing_status is '"
                        + status(batch.timeline.phaseAt(now)) + "').");
            }
            return batch.results.text();
        }
    }

    public ObjectNode list(int limit, String afterId, String beforeId, String resultsBase) {
        if (limit < 1 || limit > 1000) {
            throw invalid("limit: Input should be between 1 and 1000");
        }
        Instant now = clock.instant();
        Duration lag = settings.current().faults().listingLag();
        List<Batch> ordered = batches.listedNewestFirst(now, lag);
        int start = 0;
        int end = ordered.size();
        if (afterId != null && !afterId.isBlank()) {
            start = ordered.indexOf(find(afterId)) + 1;
        }
        if (beforeId != null && !beforeId.isBlank()) {
            end = ordered.indexOf(find(beforeId));
            start = Math.max(0, end - limit);
        }
        List<Batch> page = ordered.subList(Math.min(start, end), Math.min(start + limit, end));
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        ArrayNode data = list.putArray("data");
        page.forEach(b -> data.add(render(b, now, resultsBase)));
        list.put("has_more", start + page.size() < end || (beforeId != null && !beforeId.isBlank() && start > 0));
        list.put("first_id", page.isEmpty() ? null : page.get(0).id);
        list.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
        return list;
    }

    public void deliverAllDue() {
        Instant now = clock.instant();
        batches.forEachLocked(b -> deliverIfDue(b, now));
    }

    public List<BatchSummary> summaries() {
        Instant now = clock.instant();
        return batches.oldestFirst().stream()
                .map(b -> new BatchSummary("anthropic", b.id, status(b.timeline.phaseAt(now)), b.total,
                        b.timeline.createdAt()))
                .collect(Collectors.toList());
    }

    public void clear() {
        batches.clear();
    }

    private Batch find(String id) {
        return batches.find(id);
    }

    private ObjectNode render(Batch b, Instant now, String resultsBase) {
        synchronized (b) {
            deliverIfDue(b, now);
            Timeline t = b.timeline;
            Timeline.Phase phase = t.phaseAt(now);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("id", b.id);
            o.put("type", "message_batch");
            o.put("processing_status", status(phase));
            ObjectNode counts = o.putObject("request_counts");
            if (b.delivered) {
                counts.put("processing", 0).put("succeeded", b.succeeded).put("errored", b.errored)
                        .put("canceled", b.canceled).put("expired", b.expired);
            } else {
                int done = t.doneCount(now);
                int ok = (int) b.items.subList(0, done).stream().filter(BatchItem::succeeds).count();
                counts.put("processing", b.total - done).put("succeeded", ok).put("errored", done - ok)
                        .put("canceled", 0).put("expired", 0);
            }
            Instant ended = t.endedAt(now);
            o.put("ended_at", iso(ended));
            o.put("created_at", iso(t.createdAt()));
            o.put("expires_at", iso(t.expiresAt()));
            o.putNull("archived_at");
            Instant cancelAt = t.cancelAt();
            o.put("cancel_initiated_at", iso(cancelAt));
            o.put("results_url", b.delivered ? resultsBase + "v1/messages/batches/" + b.id + "/results" : null);
            return o;
        }
    }

    private void deliverIfDue(Batch b, Instant now) {
        Timeline.Phase phase = b.timeline.phaseAt(now);
        if (b.delivered || !phase.delivers()) {
            return;
        }
        int done = b.timeline.doneCount(now);
        boolean canceled = phase == Timeline.Phase.CANCELLED;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < b.items.size(); i++) {
            BatchItem item = b.items.get(i);
            ObjectNode line = JsonNodeFactory.instance.objectNode();
            line.put("custom_id", item.customId());
            ObjectNode result = line.putObject("result");
            if (i >= done) {
                result.put("type", canceled ? "canceled" : "expired");
                if (canceled) {
                    b.canceled++;
                } else {
                    b.expired++;
                }
            } else if (item.violation() != null) {
                result.put("type", "errored");
                result.set("error", ProviderErrors.anthropic(item.violation()));
                b.errored++;
            } else if (item.faulted()) {
                String type = settings.current().faults().requestErrorType();
                result.put("type", "errored");
                result.set("error", ProviderErrors.anthropic(type,
                        "overloaded_error".equals(type) ? "Overloaded" : "Internal server error"));
                b.errored++;
            } else {
                ObjectNode message = messages.create(item.body());
                result.put("type", "succeeded");
                result.set("message", message);
                b.succeeded++;
                ledger.record(new Ledger.Entry("anthropic", "batch", b.id, item.customId(), item.model(), item.body(),
                        message.get("usage"), b.timeline.doneAt(i)));
            }
            lines.add(line.toString());
        }
        // Results come in any order on the real API; clients must match on custom_id.
        Collections.shuffle(lines, new Random(Canonical.seed(b.id)));
        b.results = Packed.of(String.join("\n", lines) + "\n");
        b.delivered = true;
        b.items = null;
        LOG.infof("Anthropic batch %s ended: %d succeeded, %d errored, %d canceled, %d expired", b.id, b.succeeded,
                b.errored, b.canceled, b.expired);
    }

    static String status(Timeline.Phase phase) {
        switch (phase) {
            case CANCELLING:
                return "canceling";
            case COMPLETED:
            case EXPIRED:
            case CANCELLED:
            case FAILED:
                return "ended";
            default:
                return "in_progress";
        }
    }

    /** RFC 3339 with at most microseconds, as Anthropic prints them (some parsers refuse nanoseconds). */
    private static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS).toString();
    }

    private static Refusal invalid(String message) {
        return Refusal.anthropic(400, "invalid_request_error", message);
    }
}
