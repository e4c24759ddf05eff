package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.recorder.JudgeEvents;
import io.apexaudition.recorder.health.RecordingProgress;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lane group's records ({@link LaneGroupRequested}, what the planner publishes) end in the very tables the same
 * requests make published one record each (what an older planner published), through the live path and the
 * rebuild's: against a real Postgres with the real schema.
 */
class LaneGroupRecordingPropertyTest {
    private static final Instant AT = Instant.parse("2026-12-05T03:00:00Z");
    private static PGSimpleDataSource dataSource;

    @BeforeContainer
    static void migrate() {
        dataSource = MigratedDatabase.fresh();
    }

    @Property(tries = 20, seed = "20261205")
    void shouldRecordALaneGroupsRecordsAsTheRequestsTheyCarry(@ForAll long seed, @ForAll boolean rebuild)
            throws Exception {
        // given requests of a few lanes and attempts, judge requests with their texts among them
        Random random = new Random(seed);
        List<GenerationRequested> requests = requests(random);
        ProjectionRepository repository = new ProjectionRepository(dataSource);
        RecordingProcessor processor = new RecordingProcessor(repository, new RecordingProgress(),
                new RecorderMetrics(new SimpleMeterRegistry()));

        // when they are recorded one record each, and then into empty tables as the planner packs them
        repository.truncateAll();
        write(processor, requests.stream().map(r -> (ApexEvent) r).toList(), rebuild, repository);
        Map<String, List<String>> single = ProjectedTables.of(dataSource);
        repository.truncateAll();
        List<LaneGroupRequested> parts = LaneGroupRequested.pack(requests);
        write(processor, parts.stream().map(r -> (ApexEvent) r).toList(), rebuild, repository);
        Map<String, List<String>> packed = ProjectedTables.of(dataSource);

        // then every table is the same, row for row, and every request has its generation row
        for (String table : ProjectedTables.TABLES) {
            assertThat(packed.get(table)).as(table).containsExactlyElementsOf(single.get(table));
        }
        assertThat(packed.get("generations")).hasSize((int) requests.stream()
                .map(GenerationRequested::generationId).distinct().count());
        assertThat(parts.size()).isLessThanOrEqualTo(requests.size());
    }

    @net.jqwik.api.Example
    void shouldHandOverALaneGroupsRecordsInSlicesOfAFewThousandEventsNotAWholePoll() throws Exception {
        // given a poll of five lane groups' records of 1,000 requests each, and an unreadable record among them
        Random random = new Random(7);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int lane = 0; lane < 5; lane++) {
            List<GenerationRequested> requests = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String id = EventIds.generationId("run-slices", "lane-" + lane, "p" + i, 1);
                requests.add(new GenerationRequested("e-" + lane + "-" + i, 1, AT, "run-slices", id, 1, "c-" + lane,
                        "lane-" + lane, Providers.OPENAI, "gpt-4o", "gpt-4o",
                        new LaneParameters(0.6, 6000, null, null, null), "p" + i, 1, null, null, 1, RunMode.BATCH,
                        false, false, true, 1_000));
            }
            for (LaneGroupRequested part : LaneGroupRequested.pack(requests)) {
                records.add(new ConsumerRecord<>(Topics.GENERATION_REQUESTS_OPENAI.name(), 0, records.size(),
                        part.key(), EventJson.writeBytes(part)));
            }
            if (lane == 2) {
                records.add(new ConsumerRecord<>(Topics.GENERATION_REQUESTS_OPENAI.name(), 0, records.size(), "k",
                        new byte[]{(byte) random.nextInt(32)}));
            }
        }
        RecordingProcessor processor = new RecordingProcessor(new ProjectionRepository(dataSource),
                new RecordingProgress(), new RecorderMetrics(new SimpleMeterRegistry()));

        // when they are cut into slices
        List<Integer> sizes = new ArrayList<>();
        processor.slices(records).forEach(slice -> sizes.add(slice.size()));

        // then no slice holds more than the bound and a record, and every event and record is in one
        assertThat(sizes).allSatisfy(size -> assertThat(size)
                .isLessThanOrEqualTo(RecordingProcessor.MAX_EVENTS_PER_SLICE + 1_000));
        assertThat(sizes).hasSizeGreaterThan(1);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5_001);
    }

    private static void write(RecordingProcessor processor, List<ApexEvent> events, boolean rebuild,
                              ProjectionRepository repository) throws Exception {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long offset = 0;
        for (ApexEvent event : events) {
            records.add(new ConsumerRecord<>(Topics.GENERATION_REQUESTS_OPENAI.name(), 0, offset++, event.key(),
                    EventJson.writeBytes(event)));
        }
        if (rebuild) {
            List<ApexEvent> read = new ArrayList<>();
            processor.slices(records).forEach(slice -> slice.events().forEach(e -> read.add(e.event())));
            Interleaving.rebuild(repository, List.of(read));
        } else {
            processor.write(records);
        }
    }

    private static List<GenerationRequested> requests(Random random) {
        List<GenerationRequested> requests = new ArrayList<>();
        int groups = 1 + random.nextInt(4);
        for (int g = 0; g < groups; g++) {
            String runId = "run-lg-" + random.nextInt(2);
            String slug = random.nextBoolean() ? "4o.t0-6" : "4o.t1-0";
            int attempt = 1 + random.nextInt(2);
            int n = 1 + random.nextInt(random.nextBoolean() ? 5 : 1_500);
            boolean judges = random.nextInt(4) == 0;
            for (int i = 0; i < n; i++) {
                if (judges) {
                    requests.add(JudgeEvents.judgeRequest(runId + "-judge", "p" + i, attempt,
                            JudgeEvents.pairwise(runId, "p" + i)));
                    continue;
                }
                String id = EventIds.generationId(runId, slug, "p" + i, 1);
                requests.add(new GenerationRequested(EventIds.nameUuid("GenerationRequested", id,
                        Integer.toString(attempt)), 1, AT, runId, id, attempt, "cond-" + slug, slug, Providers.OPENAI,
                        "gpt-4o", "gpt-4o", new LaneParameters(0.6, 6000, null, null, null), "p" + i, 1 + i % 2,
                        null, null, 1, RunMode.BATCH, false, false, true, n));
            }
        }
        return requests;
    }
}
