package io.apexaudition.viewer.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a shared URL's filters and sort orders: lists, flags, the literal text pattern, and 400s that help. */
class MatrixFilterTest {

    @Test
    void shouldReadRepeatedAndCommaSeparatedValuesOnce() {
        MatrixFilter f = MatrixFilter.of(List.of("a,b", " b ", ""), List.of("gpt-5"), List.of("openai,anthropic"),
                List.of("error", "completed"), "true", "  a phrase ");
        assertThat(f.lanes()).containsExactly("a", "b");
        assertThat(f.providers()).containsExactly("openai", "anthropic");
        assertThat(f.statuses()).containsExactly("error", "completed");
        assertThat(f.errorsOnly()).isTrue();
        assertThat(f.text()).isEqualTo("a phrase");
        assertThat(MatrixFilter.of(null, null, null, null, null, " ")).isEqualTo(MatrixFilter.none());
    }

    @Test
    void shouldMatchTheTextLiterallyWhateverItHolds() {
        // Postgres's regular expressions read a backslash before a non-alphanumeric as that character; so does Java's
        for (String text : List.of("100%", "usual_", "a.b*c", "(x)[y]{z}", "^$|+?", "back\\slash", "naïve café")) {
            String pattern = new MatrixFilter(List.of(), List.of(), List.of(), List.of(), false, text).textPattern();
            assertThat(Pattern.compile(pattern).matcher("before " + text + " after").find()).as(text).isTrue();
            assertThat(Pattern.compile(pattern).matcher(text.replace(text.charAt(text.length() - 1), 'Q')).find())
                    .as(text).isFalse();
        }
    }

    @Test
    void shouldRefuseUnknownValuesNamingTheAllowedOnes() {
        assertThatThrownBy(() -> MatrixFilter.of(null, null, List.of("mistral"), null, null, null))
                .isInstanceOf(BadParameterException.class)
                .hasMessage("parameter 'provider' cannot be 'mistral': use one of openai, anthropic");
        assertThatThrownBy(() -> MatrixFilter.of(null, null, null, null, "1", null))
                .hasMessage("parameter 'errors' cannot be '1': use one of true, false");
        assertThatThrownBy(() -> SortOrder.parse("sort", "-title", SortOrder.PROMPT_KEYS))
                .hasMessageContaining("use one of id, length, cost, errors, -id, -length, -cost, -errors");
        assertThat(SortOrder.parse("sort", "-cost", SortOrder.PROMPT_KEYS)).isEqualTo(new SortOrder("cost", true));
        assertThat(SortOrder.parse("sort", null, SortOrder.PROMPT_KEYS).toString()).isEqualTo("id");
    }
}
