package io.apexaudition.core.judging;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Any text at all as a judge's answer: it parses, or the result names the problem; it never throws. */
class JudgeAnswersPropertyTest {
    private static final Rubric RUBRIC = new Rubric(List.of("imagery", "voice"), 1, 10);

    @Provide
    Arbitrary<String> answers() {
        // plain noise, JSON-ish pieces glued together (fences, braces, fields, numbers), and valid answers cut short
        Arbitrary<String> pieces = Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "```", "```json\n", "\n",
                "\"winner\"", "\"margin\"", "\"scores\"", "\"imagery\"", "\"voice\"", "\"rationale\"", "\"A\"",
                "\"B\"", "\"tie\"", "1", "2", "3", "11", "-1", "1e309", "0.5", "null", "true", "\"slight\"",
                "prose ", "\u0000", "\uD800");
        Arbitrary<String> glued = pieces.list().ofMaxSize(40).map(list -> String.join("", list));
        Arbitrary<String> cut = Combinators.combine(Arbitraries.of(
                "Here: ```json\n{\"winner\": \"A\", \"margin\": 2}\n```",
                "{\"scores\": {\"imagery\": 7, \"voice\": 9}, \"rationale\": \"fine\"}"),
                Arbitraries.integers().between(0, 60)).as((text, n) -> text.substring(0, Math.min(n, text.length())));
        // past Jackson's nesting limit (1,000), which it reports as an exception of its own
        Arbitrary<String> deep = Arbitraries.integers().between(1, 1200).map(n -> "{\"a\":".repeat(n));
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200), glued, cut, deep);
    }

    @Property(seed = "20261201", tries = 400)
    void shouldParseARubricAnswerOrNameTheProblemWhateverTheText(@ForAll("answers") String answer) {
        Parsed<RubricAnswer> parsed = JudgeAnswers.rubric(answer, RUBRIC);

        if (parsed.parsed()) {
            assertThat(parsed.value().scores()).containsOnlyKeys("imagery", "voice");
            assertThat(parsed.value().scores().values()).allSatisfy(s -> assertThat(s).isBetween(1.0, 10.0));
        } else {
            assertProblemIsPrintable(parsed.problem());
        }
    }

    @Property(seed = "20261201", tries = 400)
    void shouldParseAPairwiseAnswerOrNameTheProblemWhateverTheText(@ForAll("answers") String answer) {
        Parsed<PairwiseAnswer> parsed = JudgeAnswers.pairwise(answer);

        if (parsed.parsed()) {
            PairwiseAnswer verdict = parsed.value();
            if (verdict.winner() == Winner.TIE) {
                assertThat(verdict.margin()).isZero();
            } else {
                assertThat(verdict.margin()).isBetween(1, 3);
            }
        } else {
            assertProblemIsPrintable(parsed.problem());
        }
    }

    @Property(seed = "20261201", tries = 200)
    void shouldReadAWellFormedVerdictWrappedInAnyProse(@ForAll("winners") String winner,
                                                        @ForAll @IntRange(min = 1, max = 3) int margin,
                                                        @ForAll("prose") String before, @ForAll("prose") String after,
                                                        @ForAll boolean fenced) {
        String json = "{\"winner\": \"" + winner + "\", \"margin\": " + margin + "}";
        String answer = before + (fenced ? "\n```json\n" + json + "\n```\n" : json) + after;

        Parsed<PairwiseAnswer> parsed = JudgeAnswers.pairwise(answer);

        Winner expected = winner.equalsIgnoreCase("tie") ? Winner.TIE : Winner.valueOf(winner.toUpperCase());
        assertThat(parsed.value()).isEqualTo(new PairwiseAnswer(expected, expected == Winner.TIE ? 0 : margin));
    }

    @Provide
    Arbitrary<String> winners() {
        return Arbitraries.of("A", "B", "a", "b", "tie", "TIE");
    }

    @Provide
    Arbitrary<String> prose() {
        // any text a judge might write around the JSON, without a brace or a backtick of its own
        return Arbitraries.strings().all().excludeChars('{', '`').ofMaxLength(120);
    }

    private static void assertProblemIsPrintable(String problem) {
        assertThat(problem).isNotBlank();
        assertThat(problem.chars()).noneMatch(c -> Character.isISOControl(c) || c >= 0xD800 && c <= 0xDFFF);
    }
}
