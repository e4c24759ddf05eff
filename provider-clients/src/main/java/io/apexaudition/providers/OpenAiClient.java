package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Providers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * OpenAI: a batch is a JSONL file upload plus a batch that names it, tagged with our intent id in
 * {@code metadata} so that, after a crash, the batch listing tells whether an intended batch exists.
 */
@ApplicationScoped
public class OpenAiClient implements ProviderClient {
    static final String INTENT_KEY = "apex_intent_id";
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "expired", "cancelled");

    private final OpenAiRestClient api;
    private final Retrier retrier;
    private final Optional<String> apiKey;

    public OpenAiClient(@RestClient OpenAiRestClient api, Retrier retrier, ProvidersConfig config) {
        this.api = api;
        this.retrier = retrier;
        this.apiKey = config.openai().apiKey();
    }

    @Override
    public String provider() {
        return Providers.OPENAI;
    }

    private String auth() {
        return "Bearer " + apiKey.orElseThrow(() -> new ProviderCallException(401, ErrorKind.AUTHENTICATION,
                "no OpenAI API key: set OPENAI_API_KEY (from a Kubernetes Secret in a cluster)"));
    }

    private List<String> secrets() {
        return apiKey.map(List::of).orElse(List.of());
    }

    @Override
    public SubmittedBatch submitBatch(String intentId, String runId, Instant intendedAt, List<BatchLine> lines,
                                      Set<String> claimed) {
        // each body is asked for as its line is written, into a file on disk: no copy of the batch is held in the heap
        ProviderResponse file;
        // a missing key is said before tens of megabytes are written for nothing
        String auth = auth();
        try (BatchSpool jsonl = BatchSpool.forBatch(runId, out -> RequestBodies.writeOpenAiBatchFile(lines.stream()
                .map(l -> Map.entry(l.customId(), l.bodyUtf8())).iterator(), out))) {
            // an upload is free and harmless to repeat: retry it plainly
            file = retrier.call("OpenAI file upload", () -> api.uploadFile(auth, "batch", jsonl.file()));
        }
        if (!file.ok()) {
            throw failure("uploading the batch file", file);
        }
        String fileId = file.json().path("id").asText();
        ObjectNode create = EventJson.mapper().createObjectNode();
        create.put("input_file_id", fileId);
        create.put("endpoint", RequestBodies.OPENAI_CHAT_URL);
        create.put("completion_window", "24h");
        create.putObject("metadata").put(INTENT_KEY, intentId).put("apex_run_id", runId);
        // only a 429 says for sure that nothing was created: anything unclear is left to the listing (the caller)
        ProviderResponse batch = retrier.call("OpenAI batch create", () -> api.createBatch(auth(), create.toString()),
                failed -> failed.status() == 429);
        if (!batch.ok()) {
            if (BatchCreateInDoubtException.isUnclear(batch)) {
                throw new BatchCreateInDoubtException(batch.status(), failure("creating the batch", batch).getMessage());
            }
            throw failure("creating the batch", batch);
        }
        String batchId = batch.json().path("id").asText("");
        if (batchId.isBlank()) {
            throw new BatchCreateInDoubtException(batch.status(), "the batch create answered without a batch id");
        }
        return new SubmittedBatch(batchId, fileId);
    }

    @Override
    public List<ListedBatch> candidates(String intentId, Instant intendedAt, int requestCount) {
        String after = null;
        long oldest = intendedAt.minusSeconds(600).getEpochSecond();
        for (int page = 0; page < 50; page++) {
            final String cursor = after;
            ProviderResponse list = retrier.call("OpenAI batch list", () -> api.listBatches(auth(), 100, cursor));
            if (!list.ok()) {
                throw failure("listing batches to reconcile intent " + intentId, list);
            }
            JsonNode data = list.json().path("data");
            for (JsonNode b : data) {
                if (intentId.equals(b.path("metadata").path(INTENT_KEY).asText(null))) {
                    return List.of(new ListedBatch(b.path("id").asText(), b.path("input_file_id").asText(null),
                            Instant.ofEpochSecond(b.path("created_at").asLong())));
                }
                if (b.path("created_at").asLong(Long.MAX_VALUE) < oldest) {
                    return List.of();
                }
            }
            if (!list.json().path("has_more").asBoolean(false) || data.isEmpty()) {
                return List.of();
            }
            after = data.get(data.size() - 1).path("id").asText();
        }
        // an incomplete listing must never read as "not created"
        throw new ProviderCallException(-1, ErrorKind.SERVER, "the batch listing is longer than 50 pages since intent "
                + intentId + " was written; it stays in doubt");
    }

    @Override
    public GenerationOutcome call(ObjectNode body) {
        return call(body, signal -> { });
    }

    @Override
    public GenerationOutcome call(ObjectNode body, Consumer<RateLimitSignal> limits) {
        boolean streamed = StreamedReplies.streamed(body);
        String sent = (streamed ? StreamedReplies.streaming(body, true) : body).toString();
        ProviderResponse response = retrier.callPaid("OpenAI chat completion", () -> api.chatCompletion(auth(), sent),
                limits);
        return StreamedReplies.outcome(response, streamed, new StreamedReplies.Replies() {
            @Override
            public GenerationOutcome reply(JsonNode completion) {
                return ResultMapper.openAiCompletion(completion);
            }

            @Override
            public GenerationOutcome error(int status, JsonNode error) {
                return ResultMapper.openAiError(status, error, secrets());
            }

            @Override
            public JsonNode assemble(String sse) {
                return StreamedReplies.openAiCompletion(sse);
            }
        });
    }

    @Override
    public BatchState getBatch(String batchId) {
        ProviderResponse response = retrier.call("OpenAI batch status", () -> api.getBatch(auth(), batchId));
        if (!response.ok()) {
            throw failure("reading batch " + batchId, response);
        }
        JsonNode b = response.json();
        String status = b.path("status").asText();
        Map<String, Integer> counts = new HashMap<>();
        b.path("request_counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        String message = null;
        if ("failed".equals(status)) {
            List<String> errors = new ArrayList<>();
            b.path("errors").path("data").forEach(e -> errors.add(e.path("code").asText() + " (line "
                    + e.path("line").asText("?") + "): " + e.path("message").asText()));
            message = Secrets.redact("OpenAI refused the batch at validation: " + String.join("; ", errors), secrets());
        }
        return new BatchState(batchId, status, TERMINAL.contains(status), "failed".equals(status), counts, message,
                b.path("output_file_id").asText(null), b.path("error_file_id").asText(null));
    }

    @Override
    public void results(BatchState state, Consumer<ResultLine> sink) {
        for (String fileId : new String[]{state.outputFileId(), state.errorFileId()}) {
            if (fileId == null || fileId.isBlank() || "null".equals(fileId)) {
                continue;
            }
            String where = "OpenAI results file " + fileId;
            ProviderResponse content = retrier.download("OpenAI file content", () -> api.fileContent(auth(), fileId),
                    body -> ResultMapper.readLines(body, where, secrets(), ResultMapper::openAiBatchLine, sink));
            if (!content.ok()) {
                throw failure("downloading results file " + fileId, content);
            }
        }
    }

    private ProviderCallException failure(String what, ProviderResponse response) {
        GenerationOutcome outcome = ResultMapper.openAiError(response.status(), response.json(), secrets());
        return new ProviderCallException(response.status(), outcome.errorKind(), outcome.errorMessage() + " ("
                + what + ")");
    }
}
