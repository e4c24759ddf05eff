package io.apexaudition.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** TextChecks against any text at all: every UTF-16 unit, surrogates cut in half, any length. */
class TextChecksPropertyTest {

    @Provide
    Arbitrary<String> anyText() {
        // the whole UTF-16 range, weighted towards what breaks things: controls and surrogates
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0000', '\u001F').withCharRange('a', 'c').ofMaxLength(30),
                Arbitraries.strings().withCharRange('\uD800', '\uDFFF').withCharRange('x', 'z').ofMaxLength(30));
    }

    @Property
    void shouldRefuseAnIdExactlyWhenItHoldsAControlALoneSurrogateOrIsTooLong(@ForAll("anyText") String text) {
        boolean bad = text.length() > TextChecks.MAX_ID_CHARS || hasControlOrLoneSurrogate(text);

        assertThat(TextChecks.identifier("id", text).isPresent()).isEqualTo(bad);
    }

    @Property
    void shouldNeverQuoteTheRefusedTextInItsProblem(@ForAll("anyText") String text) {
        TextChecks.prose("notes", text, 100).ifPresent(problem ->
                assertThat(problem.chars()).noneMatch(c -> Character.isISOControl(c) || c >= 0xD800 && c <= 0xDFFF));
    }

    @Property
    void shouldMakeAnyTextPrintableWithoutLosingAPlainOne(@ForAll("anyText") String text) {
        String printable = TextChecks.printable(text, 1_000);

        assertThat(TextChecks.prose("printable", printable, Integer.MAX_VALUE)).isEmpty();
        assertThat(printable.chars()).noneMatch(Character::isISOControl);
        if (!hasControlOrLoneSurrogate(text) && text.indexOf('\\') < 0) {
            assertThat(printable).isEqualTo(text);
        }
    }

    private static boolean hasControlOrLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                return true;
            }
        }
        return false;
    }
}
