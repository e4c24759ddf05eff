package io.apexaudition.providers;

import jakarta.ws.rs.ProcessingException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrierTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Retrier retrier = new Retrier(TestProviders.config(Optional.empty(), 3), registry);

    @Test
    void shouldTimeEveryAttemptByProviderEndpointAndAnswer() {
        // given a batch create refused once with a 429, then accepted
        AtomicInteger sent = new AtomicInteger();

        // when it is called
        retrier.call("OpenAI batch create", () -> sent.incrementAndGet() == 1
                ? Response.status(429).entity("{}").build() : Response.ok("{}").build());

        // then each attempt is timed under its own answer, with a short endpoint name
        assertThat(registry.get(Retrier.CALLS).tags("provider", "openai", "endpoint", "batch_create", "status", "429",
                "outcome", "retryable").timer().count()).isEqualTo(1);
        assertThat(registry.get(Retrier.CALLS).tags("provider", "openai", "endpoint", "batch_create", "status", "200",
                "outcome", "success").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldNameEndpointsShortlyAndKeepUnknownDescriptionsInOneTag() {
        assertThat(Retrier.provider("Anthropic batch results")).isEqualTo("anthropic");
        assertThat(Retrier.endpoint("Anthropic batch results")).isEqualTo("batch_results");
        assertThat(Retrier.endpoint("OpenAI chat completion")).isEqualTo("chat_completion");
        assertThat(Retrier.provider("results")).isEqualTo("other");
        assertThat(Retrier.endpoint("results")).isEqualTo("other");
    }

    @Test
    void shouldHandWhatEveryAnswerSaysAboutRateLimitsToTheCaller() {
        // given a chat call throttled once with retry-after, then answered with one request left
        AtomicInteger sent = new AtomicInteger();
        List<RateLimitSignal> signals = new java.util.ArrayList<>();

        // when it is made as a paid call
        retrier.callPaid("OpenAI chat completion", () -> sent.incrementAndGet() == 1
                ? Response.status(429).header("retry-after", "0.01").build()
                : Response.ok("{}").header("x-ratelimit-remaining-requests", "1")
                .header("x-ratelimit-reset-requests", "1s").build(), signals::add);

        // then each attempt's signal reached the caller, the throttle with its pause
        assertThat(signals).hasSize(2);
        assertThat(signals.get(0).throttled()).isTrue();
        assertThat(signals.get(0).pause()).contains(java.time.Duration.ofMillis(10));
        assertThat(signals.get(1).requestsRemaining()).hasValue(1);
    }

    @Test
    void shouldNotSendAPaidCallAgainWhenItGotNoAnswer() {
        // given a provider that never answers (a read timeout: the call may have been processed and billed)
        AtomicInteger sent = new AtomicInteger();

        // when a paid synchronous call is made
        ProviderResponse response = retrier.callPaid("chat", () -> {
            sent.incrementAndGet();
            throw new ProcessingException(new SocketTimeoutException("Read timed out"));
        });

        // then it was sent once and ends without an answer
        assertThat(sent).hasValue(1);
        assertThat(response.status()).isEqualTo(-1);
    }

    @Test
    void shouldRetryAPaidCallOnlyWhenTheProviderSaysItWasNotProcessed() {
        // given a provider answering 503 (overloaded), then a gateway's 504, then 200
        java.util.Deque<Integer> answers = new java.util.ArrayDeque<>(List.of(503, 504, 200));
        AtomicInteger sent = new AtomicInteger();

        // when a paid synchronous call is made
        ProviderResponse response = retrier.callPaid("chat", () -> {
            sent.incrementAndGet();
            return Response.status(answers.poll()).build();
        });

        // then the "not processed" answer was retried and the 504 (maybe processed upstream) was not
        assertThat(sent).hasValue(2);
        assertThat(response.status()).isEqualTo(504);
    }

    @Test
    void shouldNotRetryAPaidCallWhoseAnswerBrokeOffWhileItWasRead() {
        AtomicInteger sent = new AtomicInteger();

        // when a paid call is answered 200 and its body breaks off while it is read
        ProviderResponse response = retrier.callPaid("chat", () -> {
            sent.incrementAndGet();
            InputStream broken = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("connection reset");
                }
            };
            return Response.ok(broken).build();
        });

        // then it was sent once and reported as a reply lost, not as no answer
        assertThat(sent).hasValue(1);
        assertThat(response.status()).isEqualTo(ProviderResponse.BROKEN_BODY);
    }

    @Test
    void shouldRetryAnUnpaidCallThatGotNoAnswerUpToTheBound() {
        AtomicInteger sent = new AtomicInteger();

        retrier.call("batch status", () -> {
            sent.incrementAndGet();
            throw new ProcessingException(new SocketTimeoutException("Read timed out"));
        });

        assertThat(sent).hasValue(3);
    }

    @Test
    void shouldRetryADownloadThatWasRefusedAndHandItsBodyOnAsAStream() {
        AtomicInteger sent = new AtomicInteger();
        StringBuilder read = new StringBuilder();

        ProviderResponse response = retrier.download("results", () -> sent.incrementAndGet() == 1
                        ? Response.status(503).entity("{\"error\":\"busy\"}").build()
                        : Response.ok(new ByteArrayInputStream("line 1\nline 2\n".getBytes(StandardCharsets.UTF_8))).build(),
                body -> read.append(new String(body.readAllBytes(), StandardCharsets.UTF_8)));

        assertThat(sent).hasValue(2);
        assertThat(response.ok()).isTrue();
        assertThat(read).hasToString("line 1\nline 2\n");
    }

    @Test
    void shouldNotRetryADownloadThatBrokePartWayButSaySo() {
        // given a body that breaks after its first line was handed on
        AtomicInteger sent = new AtomicInteger();
        InputStream breaking = new SequenceInputStream(new ByteArrayInputStream("line 1\n".getBytes(StandardCharsets.UTF_8)),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("Connection reset");
                    }
                });

        // when it is downloaded, then it fails once, clearly, and is not read again here (the caller starts over)
        assertThatThrownBy(() -> retrier.download("OpenAI file content", () -> {
            sent.incrementAndGet();
            return Response.ok(breaking).build();
        }, body -> body.readAllBytes()))
                .isInstanceOf(ProviderCallException.class)
                .hasMessageContaining("OpenAI file content broke part-way (IOException Connection reset)");
        assertThat(sent).hasValue(1);
        assertThat(registry.get(Retrier.CALLS).tags("endpoint", "file_content", "outcome", "broken").timer().count())
                .isEqualTo(1);
    }
}
