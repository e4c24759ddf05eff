package io.apexaudition.poller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.Providers;
import io.apexaudition.providers.BatchLine;
import io.apexaudition.providers.BatchState;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ProviderCallException;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.ProviderClients;
import io.apexaudition.providers.ResultLine;
import io.apexaudition.providers.ResultMapper;
import io.apexaudition.providers.SubmittedBatch;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The poller's providers in its service tests, scripted by batch id: {@code done-*} ended with a result for custom
 * ids c1 and c2; {@code breaks-once-*} the same, but its first download breaks after the first line; {@code failing-*}
 * never answers; the batch named by {@code apex.test.error-batch} throws an {@link Error}. Results go through the
 * real line parser ({@link ResultMapper#readLines}).
 */
@Alternative
@Priority(1)
@Singleton
public class ScriptedProviders extends ProviderClients {
    private static final String RESULTS = "{\"custom_id\":\"c1\",\"response\":{\"status_code\":200,\"body\":{\"choices\":"
            + "[{\"message\":{\"content\":\"first\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3}}}}\n"
            + "{\"custom_id\":\"c2\",\"response\":{\"status_code\":200,\"body\":{\"choices\":"
            + "[{\"message\":{\"content\":\"second\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3}}}}\n";

    private final String errorBatch;
    private final Set<String> broken = ConcurrentHashMap.newKeySet();

    public ScriptedProviders(@ConfigProperty(name = "apex.test.error-batch", defaultValue = "none") String errorBatch) {
        super(null, null);
        this.errorBatch = errorBatch;
    }

    @Override
    public ProviderClient of(String provider) {
        return new ProviderClient() {
            @Override
            public String provider() {
                return provider;
            }

            @Override
            public BatchState getBatch(String batchId) {
                if (batchId.equals(errorBatch)) {
                    throw new StackOverflowError("scripted for " + batchId);
                }
                if (batchId.startsWith("done-") || batchId.startsWith("breaks-once-")) {
                    return new BatchState(batchId, "completed", true, false, Map.of("completed", 2), null, "file-out",
                            null);
                }
                throw new ProviderCallException(503, ErrorKind.SERVER, "scripted outage for " + batchId);
            }

            @Override
            public void results(BatchState state, Consumer<ResultLine> sink) {
                String body = RESULTS;
                if (state.batchId().startsWith("breaks-once-") && broken.add(state.batchId())) {
                    body = RESULTS.substring(0, RESULTS.indexOf('\n') + 1);
                    read(body, sink);
                    throw new ProviderCallException(-1, ErrorKind.SERVER, "scripted: the download broke part-way");
                }
                read(body, sink);
            }

            private void read(String body, Consumer<ResultLine> sink) {
                try {
                    ResultMapper.readLines(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "test",
                            List.of(), ResultMapper::openAiBatchLine, sink);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public SubmittedBatch submitBatch(String intentId, String runId,
                                                                        Instant intendedAt, List<BatchLine> lines,
                                                                        Set<String> claimedBatchIds) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<io.apexaudition.providers.ListedBatch> candidates(String intentId, Instant intendedAt,
                                                                          int requestCount) {
                throw new UnsupportedOperationException();
            }

            @Override
            public GenerationOutcome call(ObjectNode body) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** An OpenAI batch with entries c1 and c2 (generations g1-... and g2-...), as the dispatcher writes it. */
    public static BatchSubmitted batch(String batchId, String runId) {
        return new BatchSubmitted("bs-" + batchId, 1, Instant.now(), batchId, Providers.OPENAI,
                runId, "gpt-4o", "intent-" + batchId, "file-in", List.of(
                new BatchEntry("c1", "g1-" + batchId, 1, "cond", "4o.t0-6", "p01", 1, "hash-" + "{}"),
                new BatchEntry("c2", "g2-" + batchId, 1, "cond", "4o.t0-6", "p02", 1, "hash-" + "{}")));
    }
}
