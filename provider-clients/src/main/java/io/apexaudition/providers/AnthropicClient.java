package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Providers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Anthropic Message Batches. A batch carries no metadata, so reconciliation after a crash can only list the batches
 * with the intent's number of requests created after it; the dispatcher tells them apart (those other intents claimed,
 * and whether another intent still open could own the earliest: docs/reliability.md, section 2).
 */
@ApplicationScoped
public class AnthropicClient implements ProviderClient {
    private final AnthropicRestClient api;
    private final Retrier retrier;
    private final Optional<String> apiKey;

    public AnthropicClient(@RestClient AnthropicRestClient api, Retrier retrier, ProvidersConfig config) {
        this.api = api;
        this.retrier = retrier;
        this.apiKey = config.anthropic().apiKey();
    }

    @Override
    public String provider() {
        return Providers.ANTHROPIC;
    }

    private String key() {
        return apiKey.orElseThrow(() -> new ProviderCallException(401, ErrorKind.AUTHENTICATION,
                "no Anthropic API key: set ANTHROPIC_API_KEY (from a Kubernetes Secret in a cluster)"));
    }

    private List<String> secrets() {
        return apiKey.map(List::of).orElse(List.of());
    }

    @Override
    public SubmittedBatch submitBatch(String intentId, String runId, Instant intendedAt, List<BatchLine> lines,
                                      Set<String> claimed) {
        // each body is asked for as its request is written, into a file on disk that every attempt streams from its
        // start: no copy of the batch is held in the heap (nor the REST client's two copies of a byte[] body)
        ProviderResponse batch;
        String key = key();
        try (BatchSpool create = BatchSpool.forBatch(runId, out -> RequestBodies.writeAnthropicBatchCreate(
                lines.stream().map(l -> Map.entry(l.customId(), l.bodyUtf8())).iterator(), out))) {
            // only a 429 says for sure that nothing was created: anything unclear is left to the listing (the caller)
            batch = retrier.call("Anthropic batch create", () -> {
                InputStream body = create.open(runId);
                try {
                    return api.createBatch(key, create.size(), body);
                } finally {
                    // quietly: an exception here would hide the answer, perhaps a batch that exists
                    BatchSpool.closeQuietly(body);
                }
            }, failed -> failed.status() == 429);
        }
        if (!batch.ok()) {
            GenerationOutcome outcome = ResultMapper.anthropicError(batch.status(), batch.json(), secrets());
            String message = outcome.errorMessage() + " (creating the batch)";
            if (BatchCreateInDoubtException.isUnclear(batch)) {
                throw new BatchCreateInDoubtException(batch.status(), message);
            }
            throw new ProviderCallException(batch.status(), outcome.errorKind(), message);
        }
        String batchId = batch.json().path("id").asText("");
        if (batchId.isBlank()) {
            throw new BatchCreateInDoubtException(batch.status(), "the batch create answered without a batch id");
        }
        return new SubmittedBatch(batchId, null);
    }

    /** Anthropic batches carry no metadata: an intent is matched to a batch by its request count and time. */
    @Override
    public boolean matchesExactly() {
        return false;
    }

    @Override
    public List<ListedBatch> candidates(String intentId, Instant intendedAt, int requestCount) {
        Instant notBefore = intendedAt.minus(CLOCK_SKEW);
        List<ListedBatch> candidates = new ArrayList<>();
        String after = null;
        // newest first: read back until a batch older than the intent, so a busy key cannot push the one we look for
        // off the first page (an incomplete listing must never read as "not created")
        for (int page = 0; ; page++) {
            if (page == 50) {
                throw new ProviderCallException(-1, ErrorKind.SERVER, "the batch listing is longer than 50 pages "
                        + "since intent " + intentId + " was written; it stays in doubt");
            }
            final String cursor = after;
            ProviderResponse list = retrier.call("Anthropic batch list", () -> api.listBatches(key(), 100, cursor));
            if (!list.ok()) {
                GenerationOutcome outcome = ResultMapper.anthropicError(list.status(), list.json(), secrets());
                throw new ProviderCallException(list.status(), outcome.errorKind(), outcome.errorMessage()
                        + " (listing batches to reconcile intent " + intentId + ")");
            }
            boolean older = false;
            for (JsonNode b : list.json().path("data")) {
                Instant created = OffsetDateTime.parse(b.path("created_at").asText()).toInstant();
                if (created.isBefore(notBefore)) {
                    older = true;
                } else if (total(b.path("request_counts")) == requestCount) {
                    candidates.add(new ListedBatch(b.path("id").asText(), null, created));
                }
            }
            after = list.json().path("last_id").asText(null);
            if (older || !list.json().path("has_more").asBoolean(false) || after == null) {
                break;
            }
        }
        candidates.sort(Comparator.comparing(ListedBatch::createdAt));
        return candidates;
    }

    private static int total(JsonNode counts) {
        int total = 0;
        for (String k : List.of("processing", "succeeded", "errored", "canceled", "expired")) {
            total += counts.path(k).asInt();
        }
        return total;
    }

    @Override
    public GenerationOutcome call(ObjectNode body) {
        return call(body, signal -> { });
    }

    @Override
    public GenerationOutcome call(ObjectNode body, Consumer<RateLimitSignal> limits) {
        boolean streamed = StreamedReplies.streamed(body);
        String sent = (streamed ? StreamedReplies.streaming(body, false) : body).toString();
        ProviderResponse response = retrier.callPaid("Anthropic message", () -> api.createMessage(key(), sent),
                limits);
        return StreamedReplies.outcome(response, streamed, new StreamedReplies.Replies() {
            @Override
            public GenerationOutcome reply(JsonNode message) {
                return ResultMapper.anthropicMessage(message);
            }

            @Override
            public GenerationOutcome error(int status, JsonNode error) {
                return ResultMapper.anthropicError(status, error, secrets());
            }

            @Override
            public JsonNode assemble(String sse) {
                return StreamedReplies.anthropicMessage(sse);
            }
        });
    }

    @Override
    public BatchState getBatch(String batchId) {
        ProviderResponse response = retrier.call("Anthropic batch status", () -> api.getBatch(key(), batchId));
        if (!response.ok()) {
            GenerationOutcome outcome = ResultMapper.anthropicError(response.status(), response.json(), secrets());
            throw new ProviderCallException(response.status(), outcome.errorKind(), outcome.errorMessage()
                    + " (reading batch " + batchId + ")");
        }
        JsonNode b = response.json();
        String status = b.path("processing_status").asText();
        Map<String, Integer> counts = new HashMap<>();
        b.path("request_counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return new BatchState(batchId, status, "ended".equals(status), false, counts, null, null, null);
    }

    @Override
    public void results(BatchState state, Consumer<ResultLine> sink) {
        String where = "Anthropic results of " + state.batchId();
        ProviderResponse response = retrier.download("Anthropic batch results", () -> api.results(key(),
                state.batchId()), body -> ResultMapper.readLines(body, where, secrets(), ResultMapper::anthropicResult, sink));
        if (!response.ok()) {
            GenerationOutcome outcome = ResultMapper.anthropicError(response.status(), response.json(), secrets());
            throw new ProviderCallException(response.status(), outcome.errorKind(), outcome.errorMessage()
                    + " (downloading results of " + state.batchId() + ")");
        }
    }

}
