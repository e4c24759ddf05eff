package io.apexaudition.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored body written from its escaped UTF-8 ({@link EventJson#writeBytes(RequestBodyStored, byte[])}) is the very
 * record {@link EventJson#writeBytes(ApexEvent)} writes, whatever the body and whichever fields are missing (a cut
 * body's text fields among them).
 */
class RequestBodyStoredJsonPropertyTest {
    private static final ObjectMapper MAPPER = EventJson.mapper();
    private static final String[] PIECES = {"a", "Z", " ", "?", "\"", "\\", "\n", "\t", "\u0000", "\u001f", "\u007f",
            "é", "\u0800", "\u2028", "日本", "\uD83D\uDE00", "\uD800", "\uDFFF", "{\"k\":\"v\"}", "\\\"", "/"};

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void shouldWriteTheRecordTheMapperWrites(@ForAll("seeds") long seed) throws Exception {
        // given a stored body of any text, its id, time or hash sometimes missing, and the body escaped as the mapper
        // escapes a string
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(random.nextBoolean() ? 30 : 12_000);
        while (text.length() < length) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        String body = text.toString();
        RequestBodyStored event = new RequestBodyStored(random.nextInt(8) == 0 ? null : "id-" + seed,
                random.nextInt(3), random.nextInt(8) == 0 ? null
                        : Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)),
                random.nextInt(8) == 0 ? null : RequestBodyStored.hashOf(body),
                random.nextBoolean() ? null : RequestBodyStored.hashOf("text " + seed),
                random.nextBoolean() ? null : random.nextInt(body.length() + 1), body);
        byte[] quoted = MAPPER.writeValueAsBytes(body);
        byte[] escaped = Arrays.copyOfRange(quoted, 1, quoted.length - 1);

        // when it is written from the escaped body, and without it
        byte[] written = EventJson.writeBytes(event, escaped);
        byte[] whole = EventJson.writeBytes(event, null);

        // then both are the record the mapper writes for the event, the first spliced in (the record ends with its
        // body, so the escaped bytes go between that body's quotes rather than through the mapper)
        assertThat(new String(EventJson.writeBytes((ApexEvent) new RequestBodyStored(event.eventId(),
                event.schemaVersion(), event.occurredAt(), event.bodyHash(), event.textHash(), event.textAt(), "")),
                java.nio.charset.StandardCharsets.UTF_8)).endsWith("\"body\":\"\"}");
        byte[] expected = EventJson.writeBytes((ApexEvent) event);
        assertThat(written).isEqualTo(expected);
        assertThat(whole).isEqualTo(expected);
    }
}
