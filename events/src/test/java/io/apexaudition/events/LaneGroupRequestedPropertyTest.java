package io.apexaudition.events;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever requests the planner packs ({@link LaneGroupRequested#pack}), the parts, written and read back, expand to
 * exactly those requests in their order; every part holds one lane group and stays within its bounds; packing the
 * same requests again names the same parts.
 */
class LaneGroupRequestedPropertyTest {
    private static final Instant AT = Instant.parse("2026-12-05T03:00:00Z");

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void shouldExpandToTheRequestsPackedWhateverTheyAre(@ForAll("seeds") long seed) {
        // given requests of a few lane groups, settings, times and attempts, some carrying texts (judge requests),
        // interleaved in runs of any length, and bounds of any size
        Random random = new Random(seed);
        List<GenerationRequested> requests = requests(random);
        int maxItems = 1 + random.nextInt(random.nextBoolean() ? 5 : 2_000);
        long maxChars = random.nextBoolean() ? LaneGroupRequested.MAX_TEXT_CHARS : random.nextInt(400);

        // when they are packed, each part written as the planner writes it and read back as a dispatcher reads it
        List<LaneGroupRequested> parts = LaneGroupRequested.pack(requests, maxItems, maxChars);
        List<GenerationRequested> read = new ArrayList<>();
        for (LaneGroupRequested part : parts) {
            ApexEvent back = EventJson.read(EventJson.writeBytes(part), Set.of());
            assertThat(back).isEqualTo(part);
            assertThat(EventChecks.problems(back)).isEmpty();
            read.addAll(((LaneGroupRequested) back).requests());

            // then each part is one group's, within the bounds (a request over the text bound alone in its part)
            assertThat(part.size()).isBetween(1, maxItems);
            long chars = part.generations().stream().mapToLong(i -> length(i.promptText())
                    + length(i.sharedContext())).sum();
            assertThat(chars <= maxChars || part.size() == 1).as("texts of %s", part.eventId()).isTrue();
            assertThat(part.key()).isEqualTo(Keys.lane(part.runId(), part.conditionSlug()));
        }
        // and they expand to the very requests, in order
        assertThat(read).isEqualTo(requests);
        // and no two parts share an id, and packing again names the same parts
        assertThat(new HashSet<>(parts.stream().map(LaneGroupRequested::eventId).toList())).hasSize(parts.size());
        assertThat(LaneGroupRequested.pack(requests, maxItems, maxChars)).isEqualTo(parts);
    }

    @Property(tries = 100)
    void shouldLeaveOutTheSharedContextsForAReaderThatSkipsThem(@ForAll("seeds") long seed) {
        // given a part whose requests carry their texts
        Random random = new Random(seed);
        List<GenerationRequested> requests = requests(random);
        for (LaneGroupRequested part : LaneGroupRequested.pack(requests)) {
            // when the recorder reads it, skipping shared contexts
            LaneGroupRequested read = (LaneGroupRequested) EventJson.read(EventJson.writeBytes(part),
                    EnumSet.of(EventJson.Skip.SHARED_CONTEXT));

            // then each request reads as it was, without its context
            List<GenerationRequested> expanded = read.requests();
            for (int i = 0; i < expanded.size(); i++) {
                assertThat(expanded.get(i)).isEqualTo(part.requests().get(i).withTexts(
                        part.requests().get(i).promptText(), null));
            }
        }
    }

    @net.jqwik.api.Example
    void shouldShareTheSchemaVersionOfTheRequestsItCarries() {
        // a part carries its requests' schema version and is read against its own: raising one without the other
        // would make readers refuse the parts the planner writes
        assertThat(LaneGroupRequested.SCHEMA_VERSION).isEqualTo(GenerationRequested.SCHEMA_VERSION);
    }

    @net.jqwik.api.Example
    void shouldNameANullRequestOfAPartInsteadOfFailingToReadIt() {
        // given a part whose second request is null, as a hand-written record could hold
        byte[] json = ("{\"type\":\"LaneGroupRequested\",\"eventId\":\"e\",\"schemaVersion\":1,\"runId\":\"r\","
                + "\"attempt\":1,\"conditionId\":\"c\",\"conditionSlug\":\"s\",\"provider\":\"openai\","
                + "\"model\":\"m\",\"apiModelId\":\"m\",\"parameters\":{},\"mode\":\"BATCH\","
                + "\"laneGenerations\":2,\"generations\":[{\"eventId\":\"e1\",\"generationId\":\"g1\","
                + "\"promptId\":\"p\",\"promptVersion\":1,\"replicate\":1},null]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // when it is read, then it is refused naming the missing request
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.read(json, Set.of()))
                .isInstanceOf(EventJson.UnreadableEventException.class).hasMessageContaining("generations[1]");
    }

    @Property(tries = 50)
    void shouldPackAPlannedLaneIntoFewPartsOfOneGroup(@ForAll("seeds") long seed) {
        // given a lane of one run as the planner plans it: prompts by reference, one time, one setting
        Random random = new Random(seed);
        int prompts = 1 + random.nextInt(3_000);
        List<GenerationRequested> lane = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            String generationId = EventIds.generationId("run-1", "lane-a", "p" + p, 1);
            lane.add(new GenerationRequested(EventIds.nameUuid("GenerationRequested", generationId, "1"), 1, AT,
                    "run-1", generationId, 1, "c-a", "lane-a", Providers.OPENAI, "gpt-5", "gpt-5", Samples.GPT5_MIN,
                    "p" + p, 1, null, null, 1, RunMode.BATCH, false, false, true, prompts));
        }

        // when it is packed
        List<LaneGroupRequested> parts = LaneGroupRequested.pack(lane);

        // then it takes as few parts as the item bound allows
        assertThat(parts).hasSize((prompts + LaneGroupRequested.MAX_ITEMS - 1) / LaneGroupRequested.MAX_ITEMS);
        assertThat(parts.stream().mapToInt(LaneGroupRequested::size).sum()).isEqualTo(prompts);
    }

    /**
     * Runs of requests, each run's shared fields those of the run before with one of them changed (so a part that
     * ignored any one of them would mix two groups), and each request's own fields drawn anew.
     */
    private static List<GenerationRequested> requests(Random random) {
        List<GenerationRequested> requests = new ArrayList<>();
        String[] texts = {null, "", "Write a poem", "é日本\"\\\n", "x".repeat(150)};
        GenerationRequested head = new GenerationRequested("h", 1, AT, "run-1", "g", 1, "c-a", "lane-a",
                Providers.OPENAI, "gpt-5", "gpt-5", Samples.GPT5_MIN, "p", 1, null, null, 1, RunMode.BATCH, false,
                false, true, 40, null);
        int runs = 1 + random.nextInt(6);
        for (int run = 0; run < runs; run++) {
            if (run > 0) {
                head = changeOne(head, random);
            }
            int n = random.nextInt(random.nextBoolean() ? 4 : 60);
            for (int i = 0; i < n; i++) {
                boolean judge = random.nextInt(4) == 0;
                String promptId = "p" + random.nextInt(50);
                int replicate = 1 + random.nextInt(3);
                String generationId = EventIds.generationId(head.runId(), head.conditionSlug(), promptId, replicate);
                // event ids are unique, as the planner's are (a generation and attempt once per command)
                requests.add(new GenerationRequested("e-" + requests.size(), head.schemaVersion(), head.occurredAt(),
                        head.runId(), generationId, head.attempt(), head.conditionId(), head.conditionSlug(),
                        head.provider(), head.model(), head.apiModelId(), head.parameters(), promptId,
                        1 + random.nextInt(3), judge ? texts[1 + random.nextInt(texts.length - 1)] : null,
                        judge ? texts[random.nextInt(texts.length)] : null, replicate, head.mode(),
                        head.verifyFirst(), head.dryRun(), head.cache(), head.laneGenerations(),
                        judge ? new JudgeSubject(JudgingKind.PAIRWISE, "run-0", promptId, "g-a", "la", "g-b", "lb",
                                List.of(), 0, 1) : null));
            }
        }
        return requests;
    }

    /** The same shared fields with one of them changed. */
    private static GenerationRequested changeOne(GenerationRequested h, Random random) {
        int field = random.nextInt(14);
        return new GenerationRequested(h.eventId(), field == 0 ? 1 - h.schemaVersion() : h.schemaVersion(),
                field == 1 ? h.occurredAt().plusMillis(1) : h.occurredAt(),
                field == 2 ? h.runId() + "x" : h.runId(), h.generationId(),
                field == 3 ? h.attempt() + 1 : h.attempt(),
                field == 4 ? h.conditionId() + "x" : h.conditionId(),
                field == 5 ? h.conditionSlug() + "x" : h.conditionSlug(),
                field == 6 ? Providers.ANTHROPIC : h.provider(), field == 7 ? h.model() + "x" : h.model(),
                field == 8 ? h.apiModelId() + "x" : h.apiModelId(),
                field == 9 ? new LaneParameters(0.5, null, 100, null, null) : h.parameters(), h.promptId(),
                h.promptVersion(), h.promptText(), h.sharedContext(), h.replicate(),
                field == 10 ? (h.mode() == RunMode.BATCH ? RunMode.SYNC : RunMode.BATCH) : h.mode(),
                field == 11 != h.verifyFirst(), field == 12 != h.dryRun(), field == 13 ? !h.cache() : h.cache(),
                random.nextInt(10) == 0 ? h.laneGenerations() + 1 : h.laneGenerations(), h.judging());
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }
}
