package io.apexaudition.core.judging;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** The scan that finds an output's words finds exactly what the {@code WORD} pattern finds, on any text. */
class WritingDiagnosticsPropertyTest {

    @Property(tries = 2000)
    void shouldFindTheSameWordsAsThePattern(@ForAll("texts") String text) {
        // given any text of letters, numbers, joiners, spaces and punctuation, from any script
        // when
        List<String> scanned = WritingDiagnostics.words(text);

        // then
        assertThat(scanned).isEqualTo(byPattern(text));
    }

    @Property(tries = 500)
    void shouldCountRepeatedTrigramsAsAListOfThreeWordsWould(@ForAll("texts") String text) {
        // given the words of any text (short alphabets make repeats likely)
        List<String> words = WritingDiagnostics.words(text);

        // when
        double repetition = WritingDiagnostics.repetition(words);

        // then
        assertThat(repetition).isEqualTo(byLists(words));
    }

    @Provide
    Arbitrary<String> texts() {
        // ASCII letters and digits, joiners (' ’ -), space and punctuation, accented and Greek letters, numbers that
        // are not decimal digits (² Ⅻ), a letter outside the BMP (𝒜, a surrogate pair) and a lone surrogate
        Arbitrary<String> piece = Arbitraries.of("a", "b", "Z", "7", "'", "\u2019", "-", " ", ".", ",", "\n", "é", "ß",
                "Σ", "\u00b2", "\u216b", "\ud835\udc9c", "\ud835", "--", "''", "ab", "b-a", "don't");
        return piece.list().ofMaxSize(40).map(l -> String.join("", l));
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
