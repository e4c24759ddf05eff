package io.apexaudition.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link Secrets#redact} keeps out of a provider's text, and what it leaves alone. */
class SecretsTest {
    static final String OPENAI_KEY = "apex-fake-openai-key-4242424242-QZXW";
    static final String ANTHROPIC_KEY = "apex-fake-anthropic-key-7373737373-JVKQ";
    static final List<String> KEYS = List.of(OPENAI_KEY, ANTHROPIC_KEY);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldRemoveAWholeKeyFromAProviderErrorMessage() {
        // given an error message echoing the key, as the simulator's echo-key mode does
        String message = "401 invalid_api_key: Incorrect API key provided. (API key sent: " + OPENAI_KEY
                + "; shown as apex-f**************************QZXW)";

        // when
        String redacted = Secrets.redact(message, KEYS);

        // then nothing of the key is left, and the rest of the message is
        assertThat(redacted).doesNotContain(OPENAI_KEY).doesNotContain("apex-f").doesNotContain("QZXW")
                .doesNotContain("4242424242").startsWith("401 invalid_api_key: Incorrect API key provided.");
    }

    @Test
    void shouldRemoveEveryOccurrenceOfTheKey() {
        String redacted = Secrets.redact(ANTHROPIC_KEY + " / " + ANTHROPIC_KEY + ANTHROPIC_KEY,
                List.of(ANTHROPIC_KEY));

        assertThat(redacted).isEqualTo("[redacted] / [redacted][redacted]");
    }

    @Test
    void shouldRemoveEveryKeyGivenWhenTwoKeysDoNotShareAFragment() {
        String other = "sk-proj-other-project-key-000000";

        String redacted = Secrets.redact(other + " / " + OPENAI_KEY + " / " + other, List.of(OPENAI_KEY, other));

        assertThat(redacted).isEqualTo("[redacted] / [redacted] / [redacted]");
    }

    @Test
    void shouldRemoveEveryKeyGivenWhenTwoKeysShareTheirFirstSixCharacters() {
        String redacted = Secrets.redact(ANTHROPIC_KEY + " / " + OPENAI_KEY + " / " + ANTHROPIC_KEY, KEYS);

        assertThat(redacted).isEqualTo("[redacted] / [redacted] / [redacted]");
    }

    @Test
    void shouldRemoveTheFragmentsAMaskedEchoKeepsOfAKey() {
        // given the forms providers use to show part of a key
        String masked = "Incorrect API key provided: apex-f****************************JVKQ.";
        String ellipsis = "key apex-f...JVKQ was rejected";

        // when / then the leading six and trailing four characters are gone
        assertThat(Secrets.redact(masked, KEYS)).isEqualTo("Incorrect API key provided: [redacted]"
                + "****************************[redacted].");
        assertThat(Secrets.redact(ellipsis, KEYS)).isEqualTo("key [redacted]...[redacted] was rejected");
    }

    @Test
    void shouldRemoveOpenAiShapedKeysItWasNotGiven() {
        // given keys of another project in a message (OpenAI's sk-, sk-proj- and masked forms)
        String message = "keys sk-proj-abcDEF123_xyz, sk-abc*****************wxyz and sk-live-9 refused";

        // when
        String redacted = Secrets.redact(message, List.of());

        // then
        assertThat(redacted).isEqualTo("keys [redacted], [redacted] and [redacted] refused");
    }

    @Test
    void shouldRemoveAKeyFromAJsonBodyAndFromThatBodyEncodedAgainAsAJsonString() throws Exception {
        // given an error body as the client serialises it when it has no message, and the same body as a JSON string
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("detail", "header x-api-key: " + ANTHROPIC_KEY + " (\"quoted\" \\ path)");
        String once = body.toString();
        String twice = JSON.writeValueAsString(once);

        // when / then
        for (String text : List.of(once, twice)) {
            String redacted = Secrets.redact(text, List.of(ANTHROPIC_KEY));
            assertThat(redacted).doesNotContain(ANTHROPIC_KEY).doesNotContain("7373737373").doesNotContain("JVKQ")
                    .contains("[redacted]");
        }
        // and the redacted body is still the same JSON with only the key replaced
        assertThat(JSON.readTree(Secrets.redact(once, List.of(ANTHROPIC_KEY))).at("/error/detail").asText())
                .isEqualTo("header x-api-key: [redacted] (\"quoted\" \\ path)");
    }

    @Test
    void shouldLeaveTextWithoutAnyKeyAsItIs() {
        String text = "429 rate_limit_exceeded: Rate limit reached for requests. Please try again in 1s.";

        assertThat(Secrets.redact(text, KEYS)).isEqualTo(text);
        assertThat(Secrets.redact("", KEYS)).isEmpty();
    }

    @Test
    void shouldAnswerNullForNullText() {
        assertThat(Secrets.redact(null, KEYS)).isNull();
        assertThat(Secrets.redact(null, List.of())).isNull();
    }

    @Test
    void shouldSkipMissingEmptyAndShortKeysButStillRedactTheOthers() {
        // given keys that are absent (no key configured), empty, or too short to be a real key
        List<String> keys = Arrays.asList(null, "", "short", OPENAI_KEY);

        // when
        String redacted = Secrets.redact("a short key; the real one " + OPENAI_KEY, keys);

        // then only the real key is removed: a fragment of a short key would match ordinary words
        assertThat(redacted).isEqualTo("a short key; the real one [redacted]");
    }
}
