package io.apexaudition.core.judging;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JudgeAnswersTest {
    private static final Rubric RUBRIC = new Rubric(List.of("imagery", "voice", "form"), 1, 10);

    @Test
    void shouldParseARubricAnswerInAFenceAfterProse() {
        // given the usual shape: a sentence, then the JSON in a ```json fence
        String answer = """
                Here is my assessment of the piece.

                ```json
                {"scores": {"imagery": 8, "Voice": "7", "form": {"score": 6.5, "note": "loose"}},
                 "rationale": "Vivid, a little loose in form."}
                ```
                """;

        // when
        Parsed<RubricAnswer> parsed = JudgeAnswers.rubric(answer, RUBRIC);

        // then
        assertThat(parsed.problem()).isNull();
        assertThat(parsed.value()).isEqualTo(new RubricAnswer(Map.of("imagery", 8.0, "voice", 7.0, "form", 6.5),
                "Vivid, a little loose in form."));
    }

    @Test
    void shouldParseFlatScoresAfterProseWithBracesAndIgnoreCriteriaTheRubricDoesNotName() {
        String answer = "My verdict {as promised}: {\"imagery\": 3, \"voice\": 4, \"form\": 5, \"pacing\": 11}"
                + " and that is all.";

        Parsed<RubricAnswer> parsed = JudgeAnswers.rubric(answer, RUBRIC);

        assertThat(parsed.value()).isEqualTo(new RubricAnswer(Map.of("imagery", 3.0, "voice", 4.0, "form", 5.0),
                null));
    }

    @Test
    void shouldNameEveryMissingOrOutOfScaleCriterion() {
        String answer = "{\"scores\": {\"imagery\": 11, \"voice\": \"strong\"}, \"rationale\": \"ok\"}";

        Parsed<RubricAnswer> parsed = JudgeAnswers.rubric(answer, RUBRIC);

        assertThat(parsed.parsed()).isFalse();
        assertThat(parsed.problem()).isEqualTo("rubric answer: \"imagery\" scored 11, outside the scale 1..10; "
                + "\"voice\" is \"strong\", not a number; no score for \"form\"");
    }

    @Test
    void shouldNameTheProblemOfAnAnswerWithoutJson() {
        assertThat(JudgeAnswers.rubric("I liked it a lot.", RUBRIC).problem())
                .isEqualTo("no JSON object in the answer (no '{' in it)");
        assertThat(JudgeAnswers.rubric("  \n", RUBRIC).problem()).isEqualTo("the answer is empty");
        assertThat(JudgeAnswers.pairwise(null).problem()).isEqualTo("the answer is empty");
        assertThat(JudgeAnswers.pairwise("{\"winner\": \"A\", \"margin\": ").problem())
                .startsWith("no JSON object in the answer parses; the first attempt failed: ");
        assertThat(JudgeAnswers.pairwise("x".repeat(JudgeAnswers.MAX_ANSWER_CHARS + 1)).problem())
                .contains("100,001 characters long");
    }

    @Test
    void shouldParseAPairwiseVerdictWithANumberOrAWordForTheMargin() {
        assertThat(JudgeAnswers.pairwise("```json\n{\"winner\": \"B\", \"margin\": 3}\n```").value())
                .isEqualTo(new PairwiseAnswer(Winner.B, 3));
        assertThat(JudgeAnswers.pairwise("Verdict: {\"Winner\": \" a \", \"margin\": \"slight\"}").value())
                .isEqualTo(new PairwiseAnswer(Winner.A, 1));
        assertThat(JudgeAnswers.pairwise("{\"winner\": \"A\", \"margin\": \"2\"}").value())
                .isEqualTo(new PairwiseAnswer(Winner.A, 2));
        assertThat(JudgeAnswers.pairwise("{\"winner\": \"tie\", \"margin\": 3}").value())
                .isEqualTo(new PairwiseAnswer(Winner.TIE, 0));
        assertThat(JudgeAnswers.pairwise("{\"winner\": \"Tie\"}").value())
                .isEqualTo(new PairwiseAnswer(Winner.TIE, 0));
    }

    @Test
    void shouldNameWhatIsWrongWithAPairwiseVerdict() {
        assertThat(JudgeAnswers.pairwise("{\"margin\": 2}").problem())
                .isEqualTo("pairwise answer: no \"winner\" (expected \"A\", \"B\" or \"tie\")");
        assertThat(JudgeAnswers.pairwise("{\"winner\": \"Response A\", \"margin\": 2}").problem())
                .isEqualTo("pairwise answer: \"winner\" is \"Response A\", expected \"A\", \"B\" or \"tie\"");
        assertThat(JudgeAnswers.pairwise("{\"winner\": \"B\"}").problem())
                .isEqualTo("pairwise answer: no \"margin\" for a win (expected 1 slight, 2 clear or 3 decisive)");
        assertThat(JudgeAnswers.pairwise("{\"winner\": \"B\", \"margin\": 2.5}").problem())
                .isEqualTo("pairwise answer: \"margin\" is 2.5, expected 1 (slight), 2 (clear) or 3 (decisive)");
    }

    @Test
    void shouldNeverCopyAControlCharacterOfTheAnswerIntoTheProblem() {
        // given controls JSON lets through raw in a string (DEL, NEL) and a lone surrogate
        Parsed<PairwiseAnswer> parsed = JudgeAnswers.pairwise("{\"winner\": \"A\u007F\u0085\uD800\", \"margin\": 1}");

        // then the problem shows them escaped
        assertThat(parsed.problem()).contains("A\\u007F\\u0085\\uD800")
                .doesNotContain("\u007F").doesNotContain("\u0085").doesNotContain("\uD800");
    }
}
