package io.apexaudition.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Prints what an Instant costs to write and read, through ISO_INSTANT and through {@link InstantText}, alone and inside
 * an event's JSON (docs/benchmarks.md, session 17). Not a test: run it by hand, the command is in the docs.
 */
public final class InstantTextBenchmark {
    private static final int OPS = 2_000_000;
    private static final int ROUNDS = 5;
    private static volatile Object sink;

    private InstantTextBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Instant[] instants = new Instant[1024];
        String[] texts = new String[instants.length];
        Instant start = Instant.parse("2026-12-03T16:00:00Z");
        for (int i = 0; i < instants.length; i++) {
            instants[i] = start.plusNanos(i * 7_777_777_777L + (i % 3 == 0 ? 0 : i * 1_000_003L));
            texts[i] = DateTimeFormatter.ISO_INSTANT.format(instants[i]);
        }
        // the events' mapper as it was before InstantText (EventJson's settings, JavaTimeModule's Instant handling)
        ObjectMapper before = JsonMapper.builder().addModule(new JavaTimeModule())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
                .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
                .configure(MapperFeature.USE_BASE_TYPE_AS_DEFAULT_IMPL, true)
                .serializationInclusion(JsonInclude.Include.NON_NULL).build();
        for (ApexEvent sample : Samples.all()) {
            byte[] beforeJson = before.writerFor(ApexEvent.class).writeValueAsBytes(sample);
            if (!Arrays.equals(beforeJson, EventJson.writeBytes(sample))) {
                throw new IllegalStateException("the baseline mapper writes " + sample.getClass().getSimpleName()
                        + " otherwise than EventJson: fix its settings");
            }
        }
        ApexEvent event = Samples.all().stream().filter(GenerationCompleted.class::isInstance).findFirst()
                .orElseThrow();
        byte[] json = EventJson.writeBytes(event);
        ObjectWriter writerBefore = before.writerFor(ApexEvent.class);
        ObjectReader readerBefore = before.readerFor(ApexEvent.class);
        ObjectWriter writerNow = EventJson.mapper().writerFor(ApexEvent.class);
        ObjectReader readerNow = EventJson.mapper().readerFor(ApexEvent.class);
        int mask = instants.length - 1;
        for (int round = 1; round <= ROUNDS; round++) {
            System.out.printf("round %d%n", round);
            time("format, ISO_INSTANT", OPS, i -> sink = DateTimeFormatter.ISO_INSTANT.format(instants[i & mask]));
            time("format, InstantText", OPS, i -> sink = InstantText.format(instants[i & mask]));
            time("parse, ISO_INSTANT", OPS,
                    i -> sink = Instant.from(DateTimeFormatter.ISO_INSTANT.parse(texts[i & mask])));
            time("parse, InstantText", OPS, i -> sink = InstantText.parseOrNull(texts[i & mask]));
            time("GenerationCompleted write+read, JavaTimeModule", OPS / 10, i -> {
                try {
                    sink = readerBefore.readValue(writerBefore.writeValueAsBytes(event));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            time("GenerationCompleted write+read, InstantText", OPS / 10, i -> {
                try {
                    sink = readerNow.readValue(writerNow.writeValueAsBytes(event));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        System.out.printf("event JSON: %d bytes%n", json.length);
    }

    private static void time(String what, int ops, IntConsumer op) {
        long began = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            op.accept(i);
        }
        double ns = (System.nanoTime() - began) / (double) ops;
        System.out.printf("  %-50s %8.1f ns/op%n", what, ns);
    }
}
