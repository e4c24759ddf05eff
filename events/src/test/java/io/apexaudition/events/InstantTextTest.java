package io.apexaudition.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InstantText} and the mapper's Instant (de)serializers against what they replace: ISO_INSTANT and
 * JavaTimeModule's own, compared on generated instants and texts rather than on examples chosen here.
 */
class InstantTextTest {
    /** What every event's JSON went through before InstantText: JavaTimeModule alone. */
    private static final ObjectMapper MODULE_ALONE = JsonMapper.builder().addModule(new JavaTimeModule())
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false).build();

    @Property(tries = 3000)
    void shouldWriteEveryInstantAsIsoInstantDoes(@ForAll("instants") Instant instant) throws JsonProcessingException {
        // given an instant anywhere Instant reaches, years 0000-9999 most often
        // when it is written by InstantText and by the events' mapper
        String text = InstantText.format(instant);
        String json = EventJson.mapper().writeValueAsString(instant);

        // then both are what ISO_INSTANT and JavaTimeModule write
        assertThat(text).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
        assertThat(json).isEqualTo(MODULE_ALONE.writeValueAsString(instant));
    }

    @Property(tries = 3000)
    void shouldReadEveryTextAsJavaTimeModuleDoes(@ForAll("instantLikeTexts") String text) {
        // given a text shaped like an instant, valid or not (day 31 of February, hour 24, a leap second, an offset,
        // ten fraction digits, a lower-case z, whitespace)
        String json = "\"" + text + "\"";

        // when the events' mapper and JavaTimeModule alone read it
        Optional<Instant> read = readOrEmpty(EventJson.mapper(), json);
        Optional<Instant> before = readOrEmpty(MODULE_ALONE, json);

        // then they agree: the same instant, or both refuse it
        assertThat(read).as(text).isEqualTo(before);
        // and the text InstantText takes itself reads as ISO_INSTANT reads it
        Instant fast = InstantText.parseOrNull(text);
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(Instant.from(DateTimeFormatter.ISO_INSTANT.parse(text)));
        }
    }

    @Property(tries = 1000)
    void shouldWriteAndReadAnInstantPropertyAsJavaTimeModuleDoes(@ForAll("instants") Instant instant)
            throws JsonProcessingException {
        // given an instant as a record's property (the way every event carries one), not a root value
        Stamped stamped = new Stamped(instant);

        // when the events' mapper writes it and reads it back
        String json = EventJson.mapper().writeValueAsString(stamped);

        // then the text is JavaTimeModule's, and the instant comes back
        assertThat(json).isEqualTo(MODULE_ALONE.writeValueAsString(stamped));
        assertThat(EventJson.mapper().readValue(json, Stamped.class)).isEqualTo(stamped);
    }

    /** An instant as a property, as events carry {@code occurredAt}. */
    record Stamped(Instant at) {
    }

    @Property(tries = 1000)
    void shouldReadBackWhatItWrote(@ForAll("instants") Instant instant) {
        // given an instant written by InstantText; when read back; then it is the same instant
        String text = InstantText.format(instant);
        Instant fast = InstantText.parseOrNull(text);

        assertThat(fast == null ? Instant.parse(text) : fast).isEqualTo(instant);
    }

    @Example
    void shouldLeaveOtherFormsToIsoInstant() {
        // given forms ISO_INSTANT reads but InstantText does not take itself; then it hands them on
        assertThat(InstantText.parseOrNull("2016-12-31T23:59:60Z")).isNull();
        assertThat(InstantText.parseOrNull("2026-12-03T16:00:00+01:00")).isNull();
        assertThat(InstantText.parseOrNull("+10000-01-01T00:00:00Z")).isNull();
        assertThat(InstantText.parseOrNull("2026-02-29T00:00:00Z")).isNull();
        // and the mapper still reads the ones ISO_INSTANT reads, as it did
        assertThat(readOrEmpty(EventJson.mapper(), "\"2026-12-03T16:00:00+01:00\""))
                .contains(Instant.parse("2026-12-03T15:00:00Z"));
        assertThat(readOrEmpty(EventJson.mapper(), "1764777600")).contains(Instant.ofEpochSecond(1764777600L));
    }

    @Provide
    Arbitrary<Instant> instants() {
        // years 0000 to 9999 and a day either side, anywhere Instant reaches, and around the epoch
        Arbitrary<Long> commonSeconds = Arbitraries.longs()
                .between(-62_167_219_200L - 86_400, 253_402_300_799L + 86_400);
        Arbitrary<Long> anySeconds = Arbitraries.longs()
                .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
        Arbitrary<Long> seconds = Arbitraries.frequencyOf(
                Tuple.of(8, commonSeconds), Tuple.of(1, anySeconds),
                Tuple.of(1, Arbitraries.longs().between(-2 * 86_400L, 2 * 86_400L)));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<String> instantLikeTexts() {
        Arbitrary<String> year = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 9999).map(y -> String.format(Locale.ROOT, "%04d", y)),
                Arbitraries.of("+10000", "-0001", "999", "20261"));
        // each field mostly valid, often at or just past its bound, sometimes anywhere in two digits
        Arbitrary<String> month = field(1, 12, "00", "13");
        Arbitrary<String> day = field(1, 28, "29", "30", "31", "32", "00");
        Arbitrary<String> hour = field(0, 23, "23", "24");
        Arbitrary<String> minute = field(0, 59, "59", "60", "00");
        Arbitrary<String> second = field(0, 59, "59", "60", "00");
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(10).map(f -> "." + f),
                Arbitraries.of(".", ",5", ".5x"));
        Arbitrary<String> zone = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("Z")),
                Tuple.of(1, Arbitraries.of("z", "", "+01:00", "-00:30", "+00:00", "Z ")));
        Arbitrary<String> separators = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("-:T")),
                Tuple.of(1, Arbitraries.of("/:T", "-.T", "-: ")));
        Arbitrary<String> lead = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.just(" ")));
        return Combinators.combine(List.of(lead, year, month, day, hour, minute, second, fraction, zone,
                separators)).as(p -> {
                    String sep = (String) p.get(9);
                    return p.get(0) + "" + p.get(1) + sep.charAt(0) + p.get(2) + sep.charAt(0) + p.get(3)
                            + sep.charAt(2) + p.get(4) + sep.charAt(1) + p.get(5) + sep.charAt(1) + p.get(6)
                            + p.get(7) + p.get(8);
                });
    }

    private static Arbitrary<String> field(int min, int max, String... bounds) {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(min, max).map(v -> String.format(Locale.ROOT, "%02d", v))),
                Tuple.of(4, Arbitraries.of(bounds)),
                Tuple.of(1, Arbitraries.integers().between(0, 99).map(v -> String.format(Locale.ROOT, "%02d", v))));
    }

    private static Optional<Instant> readOrEmpty(ObjectMapper mapper, String json) {
        try {
            return Optional.ofNullable(mapper.readValue(json, Instant.class));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
