package io.apexaudition.core;

import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.LaneRegistered;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogContextTest {

    @AfterEach
    void nothingLeft() {
        assertThat(MDC.getMap()).isEmpty();
        MDC.clear();
    }

    @Test
    void setWhileOpenAndClearedAfter() {
        try (LogContext ignored = LogContext.of(LogContext.RUN_ID, "run-1", LogContext.LANE, "gpt5.reason-min",
                LogContext.ATTEMPT, 2)) {
            assertThat(MDC.get("runId")).isEqualTo("run-1");
            assertThat(MDC.get("lane")).isEqualTo("gpt5.reason-min");
            assertThat(MDC.get("attempt")).isEqualTo("2");
            assertThat(MDC.get(LogContext.SUMMARY)).isEqualTo("[runId=run-1 lane=gpt5.reason-min attempt=2] ");
        }
        assertThat(MDC.getMap()).isEmpty();
    }

    @Test
    void clearedAfterAnException() {
        assertThatThrownBy(() -> {
            try (LogContext ignored = LogContext.run("run-1")) {
                throw new IllegalStateException("boom");
            }
        }).hasMessage("boom");
        assertThat(MDC.getMap()).isEmpty();
    }

    @Test
    void nestedContextsPutBackTheOuterOne() {
        try (LogContext run = LogContext.of(LogContext.RUN_ID, "run-1", LogContext.PROVIDER, "openai")) {
            try (LogContext batch = LogContext.of(LogContext.RUN_ID, "run-2", LogContext.BATCH_ID, "batch_1")) {
                assertThat(MDC.get("runId")).isEqualTo("run-2");
                assertThat(MDC.get(LogContext.SUMMARY)).isEqualTo("[runId=run-2 batchId=batch_1 provider=openai] ");
            }
            assertThat(MDC.get("runId")).isEqualTo("run-1");
            assertThat(MDC.get("batchId")).isNull();
            assertThat(MDC.get(LogContext.SUMMARY)).isEqualTo("[runId=run-1 provider=openai] ");
        }
    }

    @Test
    void nullValuesAreLeftOutAndNothingIsNoSummary() {
        try (LogContext ignored = LogContext.of(LogContext.RUN_ID, null)) {
            assertThat(MDC.getMap()).isEmpty();
        }
    }

    @Test
    void idsAreMadePrintableSoTheyCannotForgeALine() {
        try (LogContext ignored = LogContext.run("run-1\n2026-01-01 ERROR forged")) {
            assertThat(MDC.get("runId")).isEqualTo("run-1\\u000A2026-01-01 ERROR forged");
        }
        try (LogContext ignored = LogContext.run("r".repeat(10_000))) {
            assertThat(((String) MDC.get("runId")).length()).isLessThan(TextChecks.MAX_ID_CHARS + 10);
        }
    }

    @Test
    void keysAndValuesComeInPairs() {
        assertThatThrownBy(() -> LogContext.of(LogContext.RUN_ID)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void carriedToAPoolThreadAndClearedThereAfter() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Map<String, Object> seen;
            try (LogContext ignored = LogContext.of(LogContext.RUN_ID, "run-1", LogContext.LANE, "4o.t0-6")) {
                seen = pool.submit(LogContext.carried(() -> Map.copyOf(MDC.getMap()))).get();
            }
            assertThat(seen).containsEntry("runId", "run-1").containsEntry("lane", "4o.t0-6")
                    .containsEntry(LogContext.SUMMARY, "[runId=run-1 lane=4o.t0-6] ");
            assertThat(pool.submit(() -> Map.copyOf(MDC.getMap())).get()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEventNamesWhatItIsAbout() {
        BatchStatusChanged status = new BatchStatusChanged("e1", 1, Instant.EPOCH, "batch_1", "anthropic", "run-1",
                "ended", true, null, null);
        try (LogContext ignored = LogContext.about(status)) {
            assertThat(MDC.get("runId")).isEqualTo("run-1");
            assertThat(MDC.get("batchId")).isEqualTo("batch_1");
            assertThat(MDC.get("provider")).isEqualTo("anthropic");
        }
        LaneRegistered lane = new LaneRegistered("e2", 1, Instant.EPOCH, "c1", "gpt5.reason-min", 1, "openai",
                "gpt-5", "gpt-5", (LaneParameters) null, "hash", null);
        try (LogContext ignored = LogContext.about(lane)) {
            assertThat(MDC.getMap()).isEmpty();
        }
    }
}
