package io.apexaudition.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextChecksTest {

    @Test
    void shouldAcceptPlainIdsAndProseWithTabsNewlinesAndAnyLanguage() {
        assertThat(TextChecks.identifier("runId", "run-2026-11-26-a")).isEmpty();
        assertThat(TextChecks.identifier("createdBy", "Zoë Ångström 李")).isEmpty();
        assertThat(TextChecks.prose("notes", "line one\n\tline two\r\nemoji \uD83C\uDFB5", 100)).isEmpty();
        assertThat(TextChecks.identifier("runId", null)).isEmpty();
    }

    @Test
    void shouldRefuseANulNamingTheFieldThePositionAndTheFix() {
        assertThat(TextChecks.prose("notes", "ab\u0000c", 100)).hasValueSatisfying(p -> assertThat(p)
                .contains("notes").contains("U+0000 (NUL)").contains("character 3").contains("remove it")
                .doesNotContain("\u0000"));
    }

    @Test
    void shouldRefuseTabsAndNewlinesInIdsButNotInProse() {
        assertThat(TextChecks.identifier("conditionSlugs[0]", "gpt5\treason")).hasValueSatisfying(p ->
                assertThat(p).contains("conditionSlugs[0]").contains("U+0009").contains("no control character"));
        assertThat(TextChecks.identifier("runId", "a\nb")).isPresent();
        assertThat(TextChecks.prose("notes", "a\u001Bb", 100)).hasValueSatisfying(p ->
                assertThat(p).contains("U+001B").contains("only tab, newline and carriage return"));
    }

    @Test
    void shouldRefuseALoneSurrogateButAcceptAPair() {
        assertThat(TextChecks.identifier("promptIds[1]", "p\uD83C")).hasValueSatisfying(p ->
                assertThat(p).contains("promptIds[1]").contains("lone UTF-16 surrogate").contains("U+D83C"));
        assertThat(TextChecks.prose("notes", "\uDFB5 first", 100)).isPresent();
        assertThat(TextChecks.prose("notes", "\uDFB5\uD83C", 100)).isPresent();
        assertThat(TextChecks.identifier("createdBy", "\uD83C\uDFB5")).isEmpty();
    }

    @Test
    void shouldRefuseAnAbsurdlyLongValueSayingHowLongAndTheLimit() {
        assertThat(TextChecks.identifier("runId", "r".repeat(TextChecks.MAX_ID_CHARS))).isEmpty();
        assertThat(TextChecks.identifier("runId", "r".repeat(TextChecks.MAX_ID_CHARS + 1))).hasValueSatisfying(p ->
                assertThat(p).contains("runId is 201 characters long, over the 200 allowed"));
        assertThat(TextChecks.prose("notes", "n".repeat(12_345), TextChecks.MAX_NOTES_CHARS)).hasValueSatisfying(p ->
                assertThat(p).contains("12,345").contains("10,000"));
    }

    @Test
    void shouldRefuseExactlyTheControlCharactersAndSurrogatesOfTheWholeBasicPlane() {
        // every UTF-16 unit alone between two letters: refused iff a control character or a (lone) surrogate
        for (int c = 0; c <= 0xFFFF; c++) {
            String value = "a" + (char) c + "b";
            boolean bad = Character.isISOControl(c) || Character.isSurrogate((char) c);
            boolean proseBad = bad && c != '\t' && c != '\n' && c != '\r';
            assertThat(TextChecks.identifier("id", value).isPresent()).as("U+%04X as id", c).isEqualTo(bad);
            assertThat(TextChecks.prose("notes", value, 10).isPresent()).as("U+%04X in prose", c).isEqualTo(proseBad);
            assertThat(TextChecks.identifier("id", TextChecks.printable(value, 20))).as("printable U+%04X", c).isEmpty();
        }
    }

    @Test
    void shouldPrintControlsAndLoneSurrogatesAsEscapesAndCutLongValuesOutsideAPair() {
        assertThat(TextChecks.printable("a\u0000b\nc\uD800", 50)).isEqualTo("a\\u0000b\\u000Ac\\uD800");
        assertThat(TextChecks.printable("x".repeat(300), 100)).hasSize(103).endsWith("...");
        assertThat(TextChecks.printable("xx\uD83C\uDFB5yy", 3)).isEqualTo("xx\uD83C\uDFB5...");
        assertThat(TextChecks.printable(null, 10)).isEqualTo("null");
    }
}
