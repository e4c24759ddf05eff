package io.apexaudition.providers;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.ErrorKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Anthropic batch create goes out streamed from a spooled file: the same bytes on every attempt, its length
 * stated, each stream closed, and no file left after. (Its content type on the wire: AuditionIT, whose simulator
 * refuses a create without application/json.)
 */
class AnthropicCreateTest {
    private static final ProvidersConfig CONFIG = TestProviders.config(Optional.of("sk-ant-test"), 3);
    private static final String BODY_1 = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"café\"}]}";
    private static final String BODY_2 = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"tide\"}]}";

    @TempDir
    Path spoolDirectory;
    private String tmpdir;

    @BeforeEach
    void spoolIntoATemporaryDirectory() {
        tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", spoolDirectory.toString());
    }

    @AfterEach
    void restoreTheTemporaryDirectory() {
        System.setProperty("java.io.tmpdir", tmpdir);
    }

    @Test
    void shouldStreamTheSameSpooledBytesOnARetryWithTheirLength() throws IOException {
        // given a create answered 429 once (nothing created: retried), then accepted
        List<Sent> sent = new ArrayList<>();
        AnthropicClient client = client(sent, 429, 200);

        // when a batch of two requests is submitted
        SubmittedBatch batch = client.submitBatch("intent-1", "run-1", Instant.EPOCH, lines(), Set.of());

        // then both attempts sent the create byte for byte, stating its exact length,, from closed streams of a file
        // that is gone
        assertThat(batch.batchId()).isEqualTo("msgbatch_1");
        byte[] expected = RequestBodies.anthropicBatchCreate(List.of(Map.entry("g1-a1", BODY_1),
                Map.entry("g2-a1", BODY_2))).getBytes(StandardCharsets.UTF_8);
        assertThat(sent).hasSize(2).allSatisfy(s -> {
            assertThat(s.bytes).isEqualTo(expected);
            assertThat(s.contentLength).isEqualTo(expected.length);
            assertThat(closed(s.stream)).isTrue();
        });
        assertThat(spooledFiles()).isEmpty();
    }

    @Test
    void shouldCloseTheStreamAndDeleteTheFileWhenTheCreateIsRefused() throws IOException {
        // given a create refused outright
        List<Sent> sent = new ArrayList<>();
        AnthropicClient client = client(sent, 400);

        // when a batch is submitted, then the refusal comes through, once, and nothing is left open or on disk
        assertThatThrownBy(() -> client.submitBatch("intent-2", "run-1", Instant.EPOCH, lines(), Set.of()))
                .isInstanceOf(ProviderCallException.class).isNotInstanceOf(BatchCreateInDoubtException.class);
        assertThat(sent).hasSize(1);
        assertThat(closed(sent.get(0).stream)).isTrue();
        assertThat(spooledFiles()).isEmpty();
    }

    @Test
    void shouldRefuseAsNotSentARetryWhoseSpoolIsGoneAfterA429() {
        // given a create answered 429 (nothing created), after which something deletes the spool (a /tmp cleaner)
        List<Sent> sent = new ArrayList<>();
        AnthropicClient client = client(sent, this::deleteSpooledFiles, 429, 200);

        // when the batch is submitted, then the retry sends nothing and says so: NOT_SENT (settled at once, never in
        // doubt), naming the run to retry
        assertThatThrownBy(() -> client.submitBatch("intent-3", "run-9", Instant.EPOCH, lines(), Set.of()))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e).isNotInstanceOf(BatchCreateInDoubtException.class);
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SENT);
                    assertThat(e.getMessage()).contains("cannot read the spooled batch", "apex retry run-9");
                });
        assertThat(sent).hasSize(1);
    }

    private void deleteSpooledFiles() {
        try {
            for (Path f : spooledFiles()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<BatchLine> lines() {
        return List.of(new BatchLine("g1-a1", () -> BODY_1.getBytes(StandardCharsets.UTF_8)),
                new BatchLine("g2-a1", () -> BODY_2.getBytes(StandardCharsets.UTF_8)));
    }

    /** What one attempt of the create sent, and the stream it came from. */
    private record Sent(byte[] bytes, long contentLength, InputStream stream) {
    }

    /** The batch files left in the temporary directory (the spool directory's owner file stays while we live). */
    private List<Path> spooledFiles() throws IOException {
        try (var files = Files.walk(spoolDirectory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".upload")).toList();
        }
    }

    /** A file's stream, once closed, refuses to be read. */
    private static boolean closed(InputStream stream) {
        try {
            stream.read();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A REST interface whose creates answer {@code statuses} in turn, reading and keeping what each was sent. */
    private static AnthropicClient client(List<Sent> sent, int... statuses) {
        return client(sent, () -> { }, statuses);
    }

    /** The same, running {@code afterEachCall} once each create has been read. */
    private static AnthropicClient client(List<Sent> sent, Runnable afterEachCall, int... statuses) {
        AtomicInteger creates = new AtomicInteger();
        AnthropicRestClient api = (AnthropicRestClient) Proxy.newProxyInstance(
                AnthropicRestClient.class.getClassLoader(), new Class<?>[] {AnthropicRestClient.class},
                (proxy, m, args) -> {
                    if (!m.getName().equals("createBatch")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    InputStream stream = (InputStream) args[2];
                    sent.add(new Sent(stream.readAllBytes(), (Long) args[1], stream));
                    afterEachCall.run();
                    int status = statuses[Math.min(creates.getAndIncrement(), statuses.length - 1)];
                    return status == 200 ? Response.ok("{\"id\":\"msgbatch_1\"}").build()
                            : Response.status(status).entity("{\"type\":\"error\",\"error\":{\"type\":"
                            + "\"invalid_request_error\",\"message\":\"no\"}}").build();
                });
        return new AnthropicClient(api, new Retrier(CONFIG, new SimpleMeterRegistry()), CONFIG);
    }
}
