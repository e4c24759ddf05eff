package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RequestDeserializerTest {
    private final RequestDeserializer deserializer = new RequestDeserializer();

    private static byte[] record(String lane, int prompt) {
        return EventJson.writeBytes(new GenerationRequested("e-" + lane + prompt, 1, Instant.EPOCH, "run-1",
                "gen-" + lane + prompt, 1, "cond-" + lane, lane, Providers.OPENAI, "gpt-4o", "gpt-4o",
                new LaneParameters(0.8, 6000, null, null, null, null), "p" + prompt, 1,
                "Write about the sea, prompt " + prompt, "House style guide. ".repeat(400), 1, RunMode.BATCH, false,
                false, true, 2));
    }

    @Test
    void shouldShareThePromptAndTheContextThatOtherLanesRepeat() {
        // given the same prompt in two lanes, and another prompt, each record parsed on its own
        RequestDeserializer.DecodedRequest first = deserializer.deserialize("t", record("4o.t0-8", 1));
        RequestDeserializer.DecodedRequest sameInOtherLane = deserializer.deserialize("t", record("4o.t1-0", 1));
        RequestDeserializer.DecodedRequest otherPrompt = deserializer.deserialize("t", record("4o.t0-8", 2));

        // then equal texts are one instance each, and every request keeps its own values
        assertThat(sameInOtherLane.request().promptText()).isSameAs(first.request().promptText());
        assertThat(sameInOtherLane.request().sharedContext()).isSameAs(first.request().sharedContext());
        assertThat(otherPrompt.request().sharedContext()).isSameAs(first.request().sharedContext());
        assertThat(otherPrompt.request().promptText()).isEqualTo("Write about the sea, prompt 2");
        assertThat(sameInOtherLane.request().conditionSlug()).isEqualTo("4o.t1-0");
        assertThat(sameInOtherLane.request()).isEqualTo(EventJson.read(record("4o.t1-0", 1), GenerationRequested.class, java.util.Set.of()));
    }

    @Test
    void shouldStillReadARequestWrittenWithoutItsTypeAsASingleRequest() {
        // given a request record without its "type", which the topic's reader took as a request before lane groups
        String json = new String(record("4o.t0-8", 3), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\"type\":\"GenerationRequested\",", "");
        assertThat(json).doesNotContain("\"type\"");

        // when it is decoded, then it is that request, not a problem
        RequestDeserializer.DecodedRequest decoded = deserializer.deserialize("t",
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(decoded.problem()).isNull();
        assertThat(decoded.requests()).singleElement()
                .satisfies(r -> assertThat(r.conditionSlug()).isEqualTo("4o.t0-8"));
    }

    @Test
    void shouldTurnAnUnreadableRecordIntoAProblemInsteadOfThrowing() {
        RequestDeserializer.DecodedRequest decoded = deserializer.deserialize("t",
                "{\"type\":\"GenerationRequested\",".getBytes(StandardCharsets.UTF_8));

        assertThat(decoded.request()).isNull();
        assertThat(decoded.problem()).isNotBlank();
        assertThat(decoded.echo()).contains("GenerationRequested");
    }
}
