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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultAssemblerTest {
    private final ResultAssembler assembler = new ResultAssembler(ModelCatalog.bundled());
    private final BatchSubmitted batch = new BatchSubmitted("e", 1, Instant.now(), "batch_1", "openai", "run-1",
            "gpt-4o", "intent-1", "file-1", List.of(
            new BatchEntry("c1", "g1", 1, "cond", "4o.t0-6", "p01", 3, "hash-1"),
            new BatchEntry("c2", "g2", 1, "cond", "4o.t0-6", "p02", 2, "hash-2")));

    @Test
    void shouldMatchResultsByCustomIdAndPriceThemAtBatchRates() {
        BatchState state = new BatchState("batch_1", "completed", true, false, Map.of(), null, "out", null);
        List<ResultLine> lines = List.of(
                new ResultLine("c2", GenerationOutcome.error(ErrorKind.INVALID_REQUEST, "bad")),
                new ResultLine("c1", GenerationOutcome.completed("text", "stop", new Usage(1_000_000, 0, 0, 0, 0))));

        List<GenerationCompleted> results = assembler.assemble(batch, state, lines, Instant.now());

        // in the order the lines came
        assertThat(results).extracting(GenerationCompleted::generationId).containsExactly("g2", "g1");
        assertThat(results.get(1).status()).isEqualTo(GenerationStatus.COMPLETED);
        // GPT-4o input $2.50 per million, half price in batch
        assertThat(results.get(1).costUsd()).isEqualByComparingTo("1.25");
        assertThat(results.get(0).errorKind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        // one shape whoever writes a result: the prompt version and the body's claim check come from the entry
        assertThat(results).extracting(GenerationCompleted::promptVersion).containsExactly(2, 3);
        assertThat(results).extracting(GenerationCompleted::requestBodyHash).containsExactly("hash-2", "hash-1");
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

    @Test
    void shouldSendEachResultAsItsLineArrivesAndEndTheRestAfterTheLast() {
        BatchState state = new BatchState("batch_1", "completed", true, false, Map.of(), null, "out", null);
        ResultAssembler.Assembly assembly = assembler.start(batch, state, Instant.now());
        List<GenerationCompleted> sent = new ArrayList<>();

        // a line arrives: its result goes out at once, before any other line is read
        assembly.accept(new ResultLine("c2", GenerationOutcome.completed("t", "stop", Usage.NONE)), sent::add);
        assertThat(sent).extracting(GenerationCompleted::generationId).containsExactly("g2");

        // a repeat of it and an unreadable line end nothing
        assembly.accept(new ResultLine("c2", GenerationOutcome.completed("again", "stop", Usage.NONE)), sent::add);
        assembly.accept(new ResultLine(null, GenerationOutcome.error(ErrorKind.SERVER,
                "OpenAI results file out, line 3, is not JSON: {\"custom_id\":\"c1\", trunc")), sent::add);
        assertThat(sent).hasSize(1);

        // after the last line the entry without a result ends as an error that says what was seen
        assembly.finish(sent::add);
        assertThat(sent).extracting(GenerationCompleted::generationId).containsExactly("g2", "g1");
        assertThat(sent.get(0).outputText()).isEqualTo("t");
        assertThat(sent.get(1).errorKind()).isEqualTo(ErrorKind.SERVER);
        assertThat(sent.get(1).errorMessage()).contains("has no result for this request")
                .contains("2 line(s) that matched no request").contains("line 3, is not JSON")
                .contains("custom id 'c2', which is not in this batch or came twice");
        assertThat(assembly.results()).isEqualTo(2);
        assertThat(assembly.completed()).isEqualTo(1);
        assertThat(assembly.unmatchedLines()).isEqualTo(2);
    }
}
