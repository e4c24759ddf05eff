package io.apexaudition.poller.domain;

import io.apexaudition.core.ModelCatalog;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.Usage;
import io.apexaudition.providers.BatchState;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ResultLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultAssemblerTest {
    private final ResultAssembler assembler = new ResultAssembler(ModelCatalog.bundled());
    private final BatchSubmitted batch = new BatchSubmitted("e", 1, Instant.now(), "batch_1", "openai", "run-1",
            "gpt-4o", "intent-1", "file-1", List.of(
            new BatchEntry("c1", "g1", 1, "cond", "4o.t0-6", "p01", "{}"),
            new BatchEntry("c2", "g2", 1, "cond", "4o.t0-6", "p02", "{}")));

    @Test
    void shouldMatchResultsByCustomIdAndPriceThemAtBatchRates() {
        BatchState state = new BatchState("batch_1", "completed", true, false, Map.of(), null, "out", null);
        List<ResultLine> lines = List.of(
                new ResultLine("c2", GenerationOutcome.error(ErrorKind.INVALID_REQUEST, "bad")),
                new ResultLine("c1", GenerationOutcome.completed("text", "stop", new Usage(1_000_000, 0, 0, 0, 0))));

        List<GenerationCompleted> results = assembler.assemble(batch, state, lines, Instant.now());

        assertThat(results).extracting(GenerationCompleted::generationId).containsExactly("g1", "g2");
        assertThat(results.get(0).status()).isEqualTo(GenerationStatus.COMPLETED);
        // GPT-4o input $2.50 per million, half price in batch
        assertThat(results.get(0).costUsd()).isEqualByComparingTo("1.25");
        assertThat(results.get(1).errorKind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    }

    @Test
    void shouldEndEveryRequestOfABatchThatFailedValidationAsAnError() {
        BatchState state = new BatchState("batch_1", "failed", true, true, Map.of(), "model_mismatch (line 2)", null,
                null);

        List<GenerationCompleted> results = assembler.assemble(batch, state, List.of(), Instant.now());

        assertThat(results).hasSize(2).allSatisfy(r -> {
            assertThat(r.errorKind()).isEqualTo(ErrorKind.BATCH_FAILED_VALIDATION);
            assertThat(r.errorMessage()).contains("model_mismatch");
        });
    }

    @Test
    void shouldCallAnUnansweredRequestOfAnExpiredBatchExpired() {
        BatchState state = new BatchState("batch_1", "expired", true, false, Map.of(), null, "out", "err");
        List<ResultLine> lines = List.of(new ResultLine("c1", GenerationOutcome.completed("t", "stop", Usage.NONE)));

        List<GenerationCompleted> results = assembler.assemble(batch, state, lines, Instant.now());

        assertThat(results.get(1).errorKind()).isEqualTo(ErrorKind.EXPIRED);
    }
}
