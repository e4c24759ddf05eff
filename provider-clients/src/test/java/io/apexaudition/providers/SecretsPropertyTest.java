package io.apexaudition.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Secrets#redact} over generated keys and texts: outside its {@code [redacted]} marks nothing of a key is
 * left (not the key, not the leading six or trailing four characters a masked echo shows), wherever the key stands
 * and however often; and a text holding no part of a key comes back unchanged.
 */
class SecretsPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keys as the providers issue them: a prefix, then 20 to 80 letters, digits, dashes and underscores. */
    @Provide
    Arbitrary<String> keys() {
        Arbitrary<String> prefix = Arbitraries.of("sk-", "sk-proj-", "sk-ant-api03-", "apex-");
        Arbitrary<String> body = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('-', '_').ofMinLength(20).ofMaxLength(80);
        return Combinators.combine(prefix, body).as(String::concat);
    }

    /** Provider-like text: words, punctuation, quotes, JSON braces, newlines and some non-ASCII letters. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars(' ', '.', ',', ':', '"', '{', '}', '\n', '-', '_', '*', 'é', 'ß').ofMaxLength(120);
    }

    @Property
    void shouldLeaveNothingOfTheKeyOutsideTheMarks(@ForAll("keys") String key, @ForAll("texts") String before,
                                                   @ForAll("texts") String after) {
        String redacted = Secrets.redact(before + key + after + " again " + key, List.of(key));

        assertNothingOf(key, redacted);
    }

    @Property
    void shouldLeaveNothingOfAMaskedEchoOutsideTheMarks(@ForAll("keys") String key, @ForAll("texts") String before,
                                                        @ForAll("texts") String after) {
        String masked = key.substring(0, 6) + "*".repeat(key.length() - 10) + key.substring(key.length() - 4);

        String redacted = Secrets.redact(before + masked + after, List.of(key));

        assertNothingOf(key, redacted);
    }

    @Property
    void shouldLeaveNothingOfTheKeyInAJsonEncodedBody(@ForAll("keys") String key, @ForAll("texts") String message)
            throws Exception {
        String body = JSON.createObjectNode().set("error", JSON.createObjectNode()
                .put("message", message + " " + key + " " + message)).toString();

        assertNothingOf(key, Secrets.redact(body, List.of(key)));
        assertNothingOf(key, Secrets.redact(JSON.writeValueAsString(body), List.of(key)));
    }

    @Property
    void shouldLeaveATextWithNoPartOfAKeyUnchanged(@ForAll("keys") String key, @ForAll("texts") String text) {
        Assume.that(!text.contains(key.substring(0, 6)) && !text.contains(key.substring(key.length() - 4))
                && !text.contains("sk-"));

        assertThat(Secrets.redact(text, List.of(key))).isEqualTo(text);
    }

    private static void assertNothingOf(String key, String redacted) {
        // a space cannot be part of a key, so no key or fragment can be made up across a removed mark
        String outside = redacted.replace("[redacted]", " ");
        assertThat(outside).doesNotContain(key).doesNotContain(key.substring(0, 6))
                .doesNotContain(key.substring(key.length() - 4));
    }
}
