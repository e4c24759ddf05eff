package io.apexaudition.viewer.domain;

import io.apexaudition.events.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The viewer says "apex retry resends this" exactly where the CLI's RetryCommand would select it. */
class RetryPolicyTest {

    @Test
    void shouldResendExactlyTheRetryableKindsOfARunThatWasNotRejected() {
        for (ErrorKind kind : ErrorKind.values()) {
            String stored = kind.name().toLowerCase(java.util.Locale.ROOT);
            assertThat(RetryPolicy.wouldResend("completed", "error", stored)).as(stored).isEqualTo(kind.retryable());
            assertThat(RetryPolicy.wouldResend("accepted", "error", stored)).as(stored).isEqualTo(kind.retryable());
            assertThat(RetryPolicy.wouldResend("rejected", "error", stored)).as(stored).isFalse();
        }
        assertThat(RetryPolicy.RETRYABLE_KINDS).containsExactly("rate_limit", "server", "timeout", "expired",
                "canceled", "verify_inconclusive", "unknown_outcome", "unparseable_judgment", "not_sent");
        assertThat(RetryPolicy.wouldResend("completed", "completed", "expired")).isFalse();
        assertThat(RetryPolicy.wouldResend("completed", "error", null)).isFalse();
        assertThat(RetryPolicy.wouldResend("completed", "error", "some_future_kind")).isFalse();
    }

    @Test
    void shouldWriteACommandTheShellReadsBack() {
        assertThat(RetryPolicy.command("run-1", List.of())).isEqualTo("apex retry run-1");
        assertThat(RetryPolicy.command("run-1", List.of("gpt5.reason-min", "o3.reason-low")))
                .isEqualTo("apex retry run-1 --condition-slug gpt5.reason-min --condition-slug o3.reason-low");
        assertThat(RetryPolicy.command("it's mine", List.of())).isEqualTo("apex retry 'it'\\''s mine'");
    }
}
