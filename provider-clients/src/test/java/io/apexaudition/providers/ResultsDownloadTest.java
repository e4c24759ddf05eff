package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.GenerationStatus;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The clients' results, read from the provider's body line by line, through a REST client stand-in. */
class ResultsDownloadTest {
    private static final String KEY = "sk-test-0123456789abcdefSECRET";

    private static final ProvidersConfig CONFIG = TestProviders.config(Optional.of(KEY), 2);

    private static Response body(String jsonl) {
        return Response.ok(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8))).build();
    }

    /** Only the files endpoint answers; the rest is not used by results. */
    private static OpenAiRestClient openAi(Map<String, String> files) {
        return new OpenAiRestClient() {
            @Override
            public Response uploadFile(String authorization, String purpose, java.io.File file) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Response fileContent(String authorization, String fileId) {
                return body(files.get(fileId));
            }

            @Override
            public Response createBatch(String authorization, String body) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Response getBatch(String authorization, String batchId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Response listBatches(String authorization, int limit, String after) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Response chatCompletion(String authorization, String body) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void shouldMapEveryLineOfBothOpenAiFilesAndKeepAMalformedOneAsAnUnmatchedErrorWithoutTheKey() {
        OpenAiClient client = new OpenAiClient(openAi(Map.of(
                "file-out", "{\"custom_id\":\"c1\",\"response\":{\"status_code\":200,\"body\":{\"choices\":[{\"message\":"
                        + "{\"content\":\"a poem\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,"
                        + "\"completion_tokens\":5}}}}\n"
                        + "{\"custom_id\":\"c2\", this is not JSON, key " + KEY + "\n"
                        + "{\"custom_id\":\"c3\",\"response\":{\"status_code\":200,\"body\":{\"choices\":[{\"message\":"
                        + "{\"content\":\"another\"},\"finish_reason\":\"stop\"}],\"usage\":{}}}}\n",
                "file-err", "{\"custom_id\":\"c4\",\"response\":{\"status_code\":400,\"body\":{\"error\":{\"code\":"
                        + "\"invalid_value\",\"message\":\"bad max_tokens\"}}}}\n")),
                new Retrier(CONFIG, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), CONFIG);
        List<ResultLine> lines = new ArrayList<>();

        client.results(new BatchState("batch_1", "completed", true, false, Map.of(), null, "file-out", "file-err"),
                lines::add);

        assertThat(lines).extracting(ResultLine::customId).containsExactly("c1", null, "c3", "c4");
        assertThat(lines.get(0).outcome().status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(lines.get(0).outcome().text()).isEqualTo("a poem");
        assertThat(lines.get(1).outcome().errorKind()).isEqualTo(ErrorKind.SERVER);
        assertThat(lines.get(1).outcome().errorMessage()).startsWith("OpenAI results file file-out, line 2, is not JSON")
                .doesNotContain(KEY).doesNotContain("SECRET");
        assertThat(lines.get(3).outcome().errorKind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    }
}
