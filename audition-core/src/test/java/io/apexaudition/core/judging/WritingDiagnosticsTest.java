package io.apexaudition.core.judging;

import io.apexaudition.core.PromptLibrary;
import io.apexaudition.core.PromptSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WritingDiagnosticsTest {

    @Test
    void shouldReadTheRequestedLengthOfEveryShippedPrompt() {
        // given the 21 prompts as shipped, and the window each asks for, read by eye
        String table = """
                p01 -          p02 -          p03 200..250   p04 ..300      p05 1080..1320 p06 700..900
                p07 500..700   p08 600..800   p09 400..500   p10 900..1100  p11 800..1000  p12 500..700
                p13 700..900   p14 450..600   p15 800..1000  p16 500..700   p17 400..550   p18 -
                p19 -          p20 700..900   p21 800..1000
                """;
        Map<String, String> expected = new TreeMap<>();
        String[] cells = table.trim().split("\\s+");
        for (int i = 0; i < cells.length; i += 2) {
            expected.put(cells[i], cells[i + 1].equals("-") ? null : cells[i + 1]);
        }

        // when
        Map<String, String> read = new TreeMap<>();
        for (PromptSpec prompt : PromptLibrary.load(Path.of("..", "config", "prompts"))) {
            read.put(prompt.id(), RequestedLength.in(prompt.text())
                    .map(r -> (r.min() == null ? "" : r.min()) + ".." + (r.max() == null ? "" : r.max()))
                    .orElse(null));
        }

        // then
        assertThat(expected).hasSize(21);
        assertThat(read).containsExactlyEntriesOf(expected);
    }

    @Test
    void shouldReadEachFormOfRequestedLength() {
        assertThat(RequestedLength.in("Write about 300 words on rain.")).hasValueSatisfying(r -> {
            assertThat(r.min()).isEqualTo(270);
            assertThat(r.max()).isEqualTo(330);
            assertThat(r.target()).isEqualTo(300);
            assertThat(r.phrase()).isEqualTo("about 300 words");
        });
        assertThat(RequestedLength.in("Keep it under 200 words.").orElseThrow())
                .isEqualTo(new RequestedLength(null, 200, "under 200 words"));
        assertThat(RequestedLength.in("A 500-word story").orElseThrow())
                .isEqualTo(new RequestedLength(450, 550, "500-word"));
        assertThat(RequestedLength.in("between 1,000 and\n  1,500 words, please").orElseThrow())
                .isEqualTo(new RequestedLength(1000, 1500, "between 1,000 and 1,500 words"));
        assertThat(RequestedLength.in("300–400 words").orElseThrow().target()).isEqualTo(350);
        assertThat(RequestedLength.in("at least 800 words").orElseThrow())
                .isEqualTo(new RequestedLength(800, null, "at least 800 words"));
        assertThat(RequestedLength.in("exactly 50 words").orElseThrow())
                .isEqualTo(new RequestedLength(50, 50, "exactly 50 words"));
        assertThat(RequestedLength.in("150 words or fewer").orElseThrow())
                .isEqualTo(new RequestedLength(null, 150, "150 words or fewer"));
        // the first phrase wins: the later one is about a part of the piece
        assertThat(RequestedLength.in("A scene of 800 to 1,000 words with a direction of no more than 50 words")
                .orElseThrow().max()).isEqualTo(1000);
    }

    @Test
    void shouldReadNoLengthFromAPromptThatNamesNone() {
        assertThat(RequestedLength.in("Write a sonnet. Avoid the words \"time\" and \"memory\".")).isEmpty();
        assertThat(RequestedLength.in("no more than fifty words")).isEmpty();
        assertThat(RequestedLength.in("a story in 12345678901 words")).isEmpty();
        assertThat(RequestedLength.in(null)).isEmpty();
    }

    @Test
    void shouldCountWordsAndCompareThemWithTheRequestedLength() {
        // given a 250-word output for "about 200 words" (window 180..220)
        String output = ("Don't stop: the well-known ferry. ").repeat(50);

        // when
        WritingDiagnostics diagnostics = WritingDiagnostics.of("Write about 200 words.", output, "stop");

        // then 5 words a sentence ("don't" and "well-known" are one each), 250 in all, 1.25 times the target
        assertThat(diagnostics.words()).isEqualTo(250);
        assertThat(diagnostics.lengthRatio()).isCloseTo(1.25, within(1e-12));
        assertThat(diagnostics.withinRequested()).isFalse();
        assertThat(diagnostics.finishReason()).isEqualTo("stop");
        assertThat(diagnostics.refusal()).isFalse();
    }

    @Test
    void shouldLeaveTheRatioNullWhenThePromptNamesNoLength() {
        WritingDiagnostics diagnostics = WritingDiagnostics.of("Write a sonnet.", "Fourteen lines of light.", null);

        assertThat(diagnostics.words()).isEqualTo(4);
        assertThat(diagnostics.requested()).isNull();
        assertThat(diagnostics.lengthRatio()).isNull();
        assertThat(diagnostics.withinRequested()).isNull();
        assertThat(diagnostics.finishReason()).isNull();
    }

    @Test
    void shouldMeasureRepetitionAsTheShareOfRepeatedThreeGrams() {
        // "a b c a b c": 3-grams abc, bca, cab, abc: one of four repeats an earlier one
        assertThat(WritingDiagnostics.of(null, "A b c a B c", null).repetition()).isCloseTo(0.25, within(1e-12));
        // a loop: "x y z" ten times, 28 3-grams of which only 3 are new
        assertThat(WritingDiagnostics.of(null, "x y z ".repeat(10), null).repetition())
                .isCloseTo(25 / 28.0, within(1e-12));
        assertThat(WritingDiagnostics.of(null, "every word here is different", null).repetition()).isZero();
        assertThat(WritingDiagnostics.of(null, "too short", null).repetition()).isZero();
        assertThat(WritingDiagnostics.of(null, null, null).words()).isZero();
    }

    @Test
    void shouldDetectARefusalOnlyAtTheStart() {
        assertThat(WritingDiagnostics.of(null, "I’m sorry, but I can’t write that story.", null).refusal()).isTrue();
        assertThat(WritingDiagnostics.of(null, "\n\n**I can't help with** this request.", null).refusal()).isTrue();
        assertThat(WritingDiagnostics.of(null, "As an AI language model, I cannot", null).refusal()).isTrue();
        assertThat(WritingDiagnostics.of(null, "I CANNOT ASSIST WITH THAT.", null).refusal()).isTrue();
        assertThat(WritingDiagnostics.of(null, "The ferry left. I'm sorry, but I can't stay, she said.", null)
                .refusal()).isFalse();
        assertThat(WritingDiagnostics.of(null, "\"I'm sorry, but I can't,\" said the ferryman.", null).refusal())
                .isFalse();
        assertThat(WritingDiagnostics.of(null, "I'm unable to sleep when the tide turns.", null).refusal()).isFalse();
    }

    @Test
    void shouldListOnlyLowerCaseRefusalOpeningsWithStraightApostrophes() {
        // the comparison lower-cases and straightens the output, so an opening written otherwise never matches
        assertThat(WritingDiagnostics.REFUSAL_OPENINGS).allSatisfy(opening -> assertThat(opening)
                .isEqualTo(opening.toLowerCase(Locale.ROOT)).doesNotContain("’"));
        assertThat(WritingDiagnostics.REFUSAL_OPENINGS).doesNotHaveDuplicates();
    }
}
