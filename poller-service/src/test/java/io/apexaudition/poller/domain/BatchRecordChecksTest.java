package io.apexaudition.poller.domain;

import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRecordChecksTest {
    private static final BatchEntry ENTRY = new BatchEntry("c1", "g1", 1, "cond", "4o.t0-6", "p01", 1, null);

    private static BatchSubmitted submitted(String batchId, String provider, String runId, List<BatchEntry> entries) {
        return new BatchSubmitted("e", 1, Instant.now(), batchId, provider, runId, "gpt-4o", "intent-1", "file-1",
                entries);
    }

    @Test
    void shouldFollowACompleteBatch() {
        assertThat(BatchRecordChecks.problems(submitted("batch_1", "openai", "run-1", List.of(ENTRY)))).isEmpty();
    }

    @Test
    void shouldNameEveryProblemOfAnIncompleteBatch() {
        // (a null entry cannot be built: BatchSubmitted copies its entries with List.copyOf, so JSON with one is refused)
        List<BatchEntry> entries = List.of(ENTRY, new BatchEntry(null, "g3", 0, "cond", null, "p03", 1, null),
                new BatchEntry("c1", "g4", 1, "cond", "4o.t0-6", "p04", 1, null));

        assertThat(BatchRecordChecks.problems(submitted(null, "mistral", "run-1", entries))).containsExactly(
                "batchId is missing",
                "provider 'mistral' is not one of [openai, anthropic]",
                "entries[1].customId is missing",
                "entries[1].conditionSlug is missing",
                "entries[1].attempt is 0, expected at least 1",
                "entries[2].customId 'c1' repeats entries[0]'s");
        assertThat(BatchRecordChecks.problems(submitted("batch_1", null, " ", null)))
                .containsExactly("provider is missing", "runId is missing", "entries is empty");
    }

    @Test
    void shouldRefuseAStatusWithoutItsBatch() {
        assertThat(BatchRecordChecks.problems(new BatchStatusChanged("e", 1, Instant.now(), null, "openai", "run-1",
                "completed", true, Map.of(), null))).containsExactly("batchId is missing");
    }
}
