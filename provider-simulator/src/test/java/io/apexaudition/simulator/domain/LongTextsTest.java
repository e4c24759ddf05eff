package io.apexaudition.simulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LongTextsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode body(String system, String user) throws Exception {
        return MAPPER.readTree("{\"model\":\"m\",\"system\":[{\"type\":\"text\",\"text\":\"" + system + "\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"}]}");
    }

    @Test
    void shouldShareALongTextBetweenBodiesParsedApart() throws Exception {
        // given two requests parsed separately with the same 8 KB context and their own prompts
        String context = "House style. ".repeat(700);
        JsonNode first = body(context, "Write about rain.");
        JsonNode second = body(context, "Write about snow.");
        assertThat(first.at("/system/0/text")).isNotSameAs(second.at("/system/0/text"));

        // when
        LongTexts.share(first);
        LongTexts.share(second);

        // then the context is one object, and the bodies are otherwise unchanged
        assertThat(first.at("/system/0/text")).isSameAs(second.at("/system/0/text"));
        assertThat(first).isEqualTo(body(context, "Write about rain."));
        assertThat(second.at("/messages/0/content").asText()).isEqualTo("Write about snow.");
    }

    @Test
    void shouldLeaveShortTextsAlone() throws Exception {
        JsonNode first = body("Short style.", "Same prompt.");
        JsonNode second = body("Short style.", "Same prompt.");

        LongTexts.share(first);
        LongTexts.share(second);

        assertThat(first.at("/system/0/text")).isNotSameAs(second.at("/system/0/text"));
        assertThat(first.at("/messages/0/content")).isNotSameAs(second.at("/messages/0/content"));
    }
}
