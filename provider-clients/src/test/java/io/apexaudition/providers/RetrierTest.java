package io.apexaudition.providers;

import jakarta.ws.rs.ProcessingException;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RetrierTest {
    private final Retrier retrier = new Retrier(new ProvidersConfig() {
        @Override
        public Provider openai() {
            return Optional::empty;
        }

        @Override
        public Provider anthropic() {
            return Optional::empty;
        }

        @Override
        public Retry retry() {
            return new Retry() {
                @Override
                public int maxAttempts() {
                    return 3;
                }

                @Override
                public Duration baseDelay() {
                    return Duration.ofMillis(1);
                }

                @Override
                public Duration maxDelay() {
                    return Duration.ofMillis(5);
                }
            };
        }
    });

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
    void shouldRetryAnUnpaidCallThatGotNoAnswerUpToTheBound() {
        AtomicInteger sent = new AtomicInteger();

        retrier.call("batch status", () -> {
            sent.incrementAndGet();
            throw new ProcessingException(new SocketTimeoutException("Read timed out"));
        });

        assertThat(sent).hasValue(3);
    }
}
