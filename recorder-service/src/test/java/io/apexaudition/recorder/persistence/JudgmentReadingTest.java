package io.apexaudition.recorder.persistence;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JudgmentReadingTest {
    private static final List<String> CRITERIA = List.of("imagery", "voice");

    @Test
    void shouldReadAPairwiseAnswerOfACompletedGeneration() {
        JudgmentReading reading = JudgmentReading.of("pairwise", List.of(), null, null, "completed", null, null,
                "{\"winner\": \"a\", \"margin\": \"decisive\"}");

        assertThat(reading).isEqualTo(new JudgmentReading("judged", "A", 3, null, null, null, false));
    }

    @Test
    void shouldReadARubricAnswerInTheRubricsOrderWithWholeScoresAsIntegers() {
        JudgmentReading reading = JudgmentReading.of("rubric", CRITERIA, 1, 10, "completed", null, null,
                "{\"voice\": 6.5, \"imagery\": \"8\", \"rationale\": \"ok\"}");

        assertThat(reading.status()).isEqualTo("judged");
        assertThat(reading.scoresForJson()).containsExactly(Map.entry("imagery", 8L), Map.entry("voice", 6.5));
        assertThat(reading.rationale()).isEqualTo("ok");
    }

    @Test
    void shouldMarkACompletedGenerationWhoseAnswerCannotBeRead() {
        JudgmentReading reading = JudgmentReading.of("rubric", CRITERIA, 1, 10, "completed", null, null,
                "{\"imagery\": 8}");

        assertThat(reading).isEqualTo(new JudgmentReading("unparseable", null, null, null, null,
                "rubric answer: no score for \"voice\"", true));
    }

    @Test
    void shouldReadAGenerationMarkedUnparseableAsUnparseableWithItsMessageAndNotMarkItAgain() {
        JudgmentReading reading = JudgmentReading.of("rubric", CRITERIA, 1, 10, "error", "unparseable_judgment",
                "rubric answer: no score for \"voice\"", "{\"imagery\": 8}");

        assertThat(reading).isEqualTo(new JudgmentReading("unparseable", null, null, null, null,
                "rubric answer: no score for \"voice\"", false));
    }

    @Test
    void shouldBePendingUntilAnAnswerIsRecorded() {
        for (String status : List.of("requested", "submitted", "dry_run")) {
            assertThat(JudgmentReading.of("pairwise", List.of(), null, null, status, null, null, "{\"winner\":\"A\"}"))
                    .isEqualTo(JudgmentReading.pending());
        }
        assertThat(JudgmentReading.of("pairwise", List.of(), null, null, "error", "expired", "batch expired", null))
                .isEqualTo(JudgmentReading.pending());
    }

    @Test
    void shouldRecordARequestWhoseRubricCannotScoreAnythingAsUnparseableWithAPrintableProblem() {
        JudgmentReading reading = JudgmentReading.of("rubric", List.of("a\u0000b", "A\u0000B"), 5, 5, "completed",
                null, null, "{}");

        assertThat(reading.status()).isEqualTo("unparseable");
        assertThat(reading.problem()).startsWith("the judge request's rubric cannot score an answer: ")
                .doesNotContain("\u0000");
        assertThat(reading.markUnparseable()).isTrue();
    }
}
