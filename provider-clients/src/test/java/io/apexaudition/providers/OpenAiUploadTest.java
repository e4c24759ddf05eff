package io.apexaudition.providers;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.events.ErrorKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI batch file goes up from a spooled file: the same bytes on every attempt, and no file left after. */
class OpenAiUploadTest {
    private static final ProvidersConfig CONFIG = TestProviders.config(Optional.of("sk-test"), 3);

    @Test
    void shouldUploadTheSameSpooledBytesOnARetryAndDeleteTheFileAfterwards() {
        // given an upload answered 429 once (not processed: retried), then accepted
        List<File> files = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        AtomicInteger bodiesWritten = new AtomicInteger();
        OpenAiClient client = client(files, sent, 429, 200);

        // when a batch of two lines is submitted
        SubmittedBatch batch = client.submitBatch("intent-1", "run-1", Instant.EPOCH, lines(bodiesWritten), Set.of());

        // then both attempts sent the batch file, byte for byte, each body written once, and the file is gone
        assertThat(batch.batchId()).isEqualTo("batch-1");
        byte[] expected = RequestBodies.openAiBatchFile(List.of(Map.entry("g1-a1", BODY_1), Map.entry("g2-a1", BODY_2)));
        assertThat(sent).hasSize(2).allSatisfy(bytes -> assertThat(bytes).isEqualTo(expected));
        assertThat(bodiesWritten).hasValue(2);
        assertThat(files).hasSize(2).allSatisfy(f -> assertThat(f).doesNotExist());
    }

    @Test
    void shouldDeleteTheSpooledFileWhenTheUploadIsRefused() {
        // given an upload refused outright
        List<File> files = new ArrayList<>();
        OpenAiClient client = client(files, new ArrayList<>(), 400);

        // when a batch is submitted, then the refusal comes through and no file is left
        assertThatThrownBy(() -> client.submitBatch("intent-2", "run-1", Instant.EPOCH, lines(new AtomicInteger()),
                Set.of())).isInstanceOf(ProviderCallException.class).hasMessageContaining("uploading the batch file");
        assertThat(files).hasSize(1).allSatisfy(f -> assertThat(f).doesNotExist());
    }

    @Test
    void shouldRefuseABatchItCannotSpoolAsNotSentWithoutCallingTheProvider() {
        // given a temporary directory that does not exist
        List<File> files = new ArrayList<>();
        String tmp = System.getProperty("java.io.tmpdir");
        String missing = tmp + "/apex-no-such-dir-" + System.nanoTime();
        OpenAiClient client = client(files, new ArrayList<>(), 200);
        System.setProperty("java.io.tmpdir", missing);
        try {
            // when a batch is submitted, then it is refused as not sent (settled at once, not left in doubt), naming
            // the directory and what to do, and the provider was never called
            assertThatThrownBy(() -> client.submitBatch("intent-3", "run-7", Instant.EPOCH, lines(new AtomicInteger()),
                    Set.of())).isInstanceOfSatisfying(ProviderCallException.class, e -> {
                        assertThat(e).isNotInstanceOf(BatchCreateInDoubtException.class);
                        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SENT);
                        assertThat(e.getMessage()).contains(missing, "java.io.tmpdir", "apex retry run-7");
                    });
            assertThat(files).isEmpty();
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }

    private static final String BODY_1 = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"café\"}]}";
    private static final String BODY_2 = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"tide\"}]}";

    private static List<BatchLine> lines(AtomicInteger bodiesWritten) {
        return List.of(new BatchLine("g1-a1", () -> {
            bodiesWritten.incrementAndGet();
            return BODY_1.getBytes(StandardCharsets.UTF_8);
        }), new BatchLine("g2-a1", () -> {
            bodiesWritten.incrementAndGet();
            return BODY_2.getBytes(StandardCharsets.UTF_8);
        }));
    }

    /** A REST interface whose uploads answer {@code uploadStatuses} in turn, keeping each file and what it held. */
    private static OpenAiClient client(List<File> files, List<byte[]> sent, int... uploadStatuses) {
        AtomicInteger uploads = new AtomicInteger();
        OpenAiRestClient api = (OpenAiRestClient) Proxy.newProxyInstance(OpenAiRestClient.class.getClassLoader(),
                new Class<?>[] {OpenAiRestClient.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "uploadFile" -> {
                        File file = (File) args[2];
                        files.add(file);
                        sent.add(Files.readAllBytes(file.toPath()));
                        int status = uploadStatuses[Math.min(uploads.getAndIncrement(), uploadStatuses.length - 1)];
                        yield status == 200 ? Response.ok("{\"id\":\"file-1\"}").build()
                                : Response.status(status).entity("{\"error\":{\"message\":\"no\"}}").build();
                    }
                    case "createBatch" -> Response.ok("{\"id\":\"batch-1\"}").build();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return new OpenAiClient(api, new Retrier(CONFIG, new SimpleMeterRegistry()), CONFIG);
    }
}
