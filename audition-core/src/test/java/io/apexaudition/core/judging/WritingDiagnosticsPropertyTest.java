package io.apexaudition.core.judging;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan that counts an output's words and their repeated 3-grams counts what the {@code WORD} pattern's matches,
 * case folded and compared as lists, would give, on any text.
 */
class WritingDiagnosticsPropertyTest {

    @Property(tries = 2000)
    void shouldCountTheWordsThePatternFinds(@ForAll("texts") String text) {
        // given any text of letters, numbers, joiners, spaces and punctuation, from any script
        // when
        WritingDiagnostics.Counts counts = WritingDiagnostics.counts(text);

        // then
        assertThat(counts.words()).isEqualTo(byPattern(text).size());
    }

    @Property(tries = 2000)
    void shouldCountRepeatedTrigramsAsListsOfThePatternsFoldedWordsWould(@ForAll("textsWithRepeats") String text) {
        // given any text, or one of a few words in several cases and spellings (both apostrophes, beside Latin-1 and
        // beside Greek letters; a capital sigma, which lower-cases by its context, and a dotted capital I, which
        // lower-cases to two chars), so that 3-grams repeat and folding decides which
        // when
        WritingDiagnostics.Counts counts = WritingDiagnostics.counts(text);

        // then
        assertThat(counts.repetition()).isEqualTo(byLists(byPattern(text)));
    }

    @Provide
    Arbitrary<String> texts() {
        // ASCII letters and digits, joiners (' ’ -), space and punctuation, accented and Greek letters, numbers that
        // are not decimal digits (² Ⅻ), a letter outside the BMP (𝒜, a surrogate pair) and a lone surrogate
        Arbitrary<String> piece = Arbitraries.of("a", "b", "Z", "z", "A", "7", "'", "\u2019", "-", " ", ".", ",", "\n",
                "é", "É", "ß", "Σ", "σ", "\u0130", "i", "\u00b2", "\u216b", "\ud835\udc9c", "\ud835", "--", "''", "ab",
                "b-a", "don't", "DON\u2019T");
        return piece.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> textsWithRepeats() {
        Arbitrary<String> word = Arbitraries.of("a", "A", "z", "Z", "don't", "DON\u2019T", "Don\u2019t", "\u00e9\u2019a",
                "\u00c9'A", "\u00c4\u00df\u00de", "\u00e4\u00df\u00fe", "\u00b5", "\u00ff",
                "\u03a3", "a\u03a3", "a\u03c2", "\u03a3\u2019a", "\u03c3'A", "\u0130", "i", "x-y", "X-Y");
        Arbitrary<String> gap = Arbitraries.of(" ", ", ", "\n", " - ", "' ", "\u0000");
        Arbitrary<String> phrases = Combinators.combine(word.list().ofMinSize(1).ofMaxSize(30),
                gap.list().ofMinSize(30).ofMaxSize(30)).as((words, gaps) -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < words.size(); i++) {
                        text.append(words.get(i)).append(gaps.get(i));
                    }
                    return text.toString();
                });
        return Arbitraries.oneOf(texts(), phrases);
    }

    private static List<String> byPattern(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WritingDiagnostics.WORD.matcher(text);
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT).replace('\u2019', '\''));
        }
        return words;
    }

    private static double byLists(List<String> words) {
        int grams = words.size() - 2;
        if (grams <= 0) {
            return 0;
        }
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        int repeated = 0;
        for (int i = 0; i < grams; i++) {
            if (!seen.add(words.subList(i, i + 3))) {
                repeated++;
            }
        }
        return (double) repeated / grams;
    }
}
