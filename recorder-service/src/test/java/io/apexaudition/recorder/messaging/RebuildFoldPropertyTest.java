package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;
import io.apexaudition.recorder.JudgeEvents;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.recorder.persistence.RebuildFold;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.ds.PGSimpleDataSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebuild's fold ({@link RebuildFold}: every generation's staged rows folded into one row and written once) leaves
 * the tables the live path's upserts leave, row for row: for generated event sets (one to three attempts, results
 * that are errors, outputs, missing or delivered twice, requests or submissions missing, results with and without
 * a prompt version, a prompt ingested, late or never, judge requests with readable and unreadable answers), read in
 * any interleaving that keeps each partition's order and cut into slices anywhere. The live path applied to the same
 * slices in the same order is the reference, generations in flight included; with the live consumer recording the
 * partitions' last events while the rebuild runs and after it, the reference is the events recorded as they happened,
 * for generations whose every attempt ended with one result (the upserts converge whatever the order only for those:
 * a retry's request read before the failed result it retries leaves a generation still in flight with another row,
 * and two different results of one attempt leave the one applied last, on the live path as on a rebuild). Against a
 * real Postgres with the real schema.
 */
class RebuildFoldPropertyTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final String RUN = "run-fold";
    private static final String SLUG = "4o.t0-6";
    private static final String PROMPT = "p-fold";
    private static PGSimpleDataSource dataSource;

    @BeforeContainer
    static void migrate() {
        dataSource = MigratedDatabase.fresh();
    }

    @Property(tries = 30, seed = "20261202")
    void shouldFoldEachGenerationIntoTheRowTheUpsertsLeaveInTheSameOrder(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5) int generations) throws Exception {
        // given an event set, generations still in flight included, read in a shuffled order and cut into slices
        Random random = new Random(seed);
        List<List<ApexEvent>> slices = Interleaving.interleaved(events(random, generations, false), random, 6);
        ProjectionRepository repository = new ProjectionRepository(dataSource);

        // when the live path records the slices into empty tables, and a rebuild replays them in the same order
        repository.truncateAll();
        for (List<ApexEvent> slice : slices) {
            repository.record(slice);
        }
        Map<String, List<String>> live = ProjectedTables.of(dataSource);
        repository.truncateAll();
        Interleaving.rebuild(repository, slices);

        // then every table is the same, row for row
        assertSameTables(ProjectedTables.of(dataSource), live, seed);
    }

    @Property(tries = 20, seed = "20261203")
    void shouldRebuildTheTablesTheLivePathRecordsWhileTheLiveConsumerRecords(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5) int generations) throws Exception {
        // given generations whose every attempt ended, and the tables the live path makes of them read as they happened
        Random random = new Random(seed);
        List<List<ApexEvent>> partitions = events(random, generations, true);
        ProjectionRepository repository = new ProjectionRepository(dataSource);
        ProjectedTables.recordAsHappened(repository, partitions);
        Map<String, List<String>> live = ProjectedTables.of(dataSource);

        // when a rebuild replays them in a shuffled order and slices, the live consumer recording each partition's
        // last events (those past the rebuild's noted ends) meanwhile and after
        repository.truncateAll();
        List<List<ApexEvent>> replayed = new ArrayList<>();
        List<ApexEvent> recordedLive = new ArrayList<>();
        for (List<ApexEvent> partition : partitions) {
            int end = random.nextInt(partition.size() + 1);
            replayed.add(partition.subList(0, end));
            recordedLive.addAll(partition.subList(end, partition.size()));
        }
        try (RebuildFold fold = repository.startFold()) {
            for (List<ApexEvent> slice : Interleaving.interleaved(replayed, random, 6)) {
                repository.replay(slice, fold);
                if (!recordedLive.isEmpty() && random.nextInt(3) == 0) {
                    repository.record(List.of(recordedLive.remove(random.nextInt(recordedLive.size()))));
                }
            }
            int beforeFinish = recordedLive.isEmpty() ? 0 : random.nextInt(recordedLive.size() + 1);
            for (int i = 0; i < beforeFinish; i++) {
                repository.record(List.of(recordedLive.remove(0)));
            }
            fold.finish();
        }
        for (ApexEvent e : recordedLive) {
            repository.record(List.of(e));
        }

        // then every table is the same, row for row
        assertSameTables(ProjectedTables.of(dataSource), live, seed);
    }

    private static void assertSameTables(Map<String, List<String>> actual, Map<String, List<String>> expected,
                                         long seed) {
        for (String table : ProjectedTables.TABLES) {
            assertThat(actual.get(table)).as("%s (seed %d)", table, seed)
                    .containsExactlyElementsOf(expected.get(table));
        }
        assertThat(expected.get("generations")).isNotEmpty();
    }

    /**
     * A run's generations and a judge's, as the topics hold them: requests by generation on two partitions, one
     * batch per attempt, results by generation on two partitions, each body under its hash, the prompt, the judge's.
     */
    private static List<List<ApexEvent>> events(Random random, int n, boolean ended) {
        List<List<ApexEvent>> requests = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<ApexEvent>> results = List.of(new ArrayList<>(), new ArrayList<>());
        Map<Integer, List<BatchEntry>> entries = new LinkedHashMap<>();
        Map<String, ApexEvent> bodies = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = EventIds.generationId(RUN, SLUG, PROMPT + "-" + i, 1);
            int attempts = 1 + random.nextInt(3);
            boolean batch = random.nextInt(5) > 0;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                Instant t = AT.plusSeconds(100L * attempt + i);
                String customId = EventIds.customId(id, attempt);
                boolean last = attempt == attempts;
                if (random.nextInt(8) > 0) {
                    requests.get(i % 2).add(new GenerationRequested("gr-" + id + "-" + attempt, 1, t, RUN, id,
                            attempt, "cond-4o", SLUG, Providers.OPENAI, "gpt-4o", "gpt-4o",
                            new LaneParameters(0.6, 6000, null, null, null), PROMPT, 1, "Write about 40 words.",
                            null, 1 + i % 2, batch ? RunMode.BATCH : RunMode.SYNC, false, false, true, 1));
                }
                String body = "{\"messages\":[\"" + (i % 3) + "\\t\\n\"]}";
                String hash = RequestBodyStored.hashOf(body);
                bodies.putIfAbsent(hash, RequestBodyStored.of(body, t.plusSeconds(5)));
                if (batch && random.nextInt(6) > 0) {
                    entries.computeIfAbsent(attempt, a -> new ArrayList<>())
                            .add(new BatchEntry(customId, id, attempt, "cond-4o", SLUG, PROMPT, 1, hash));
                }
                // 0 output, 1 error, 2 none yet, 3 output, then an error for the same attempt
                int outcome = !last ? 1 : ended ? random.nextInt(2) : random.nextInt(4);
                if (outcome == 2) {
                    continue;
                }
                GenerationCompleted result = result(random, id, attempt, customId, hash, batch, t.plusSeconds(50),
                        outcome != 1);
                results.get(i % 2).add(result);
                if (outcome == 3) {
                    results.get(i % 2).add(result(random, id, attempt, customId, hash, batch, t.plusSeconds(51),
                            false));
                } else if (random.nextInt(4) == 0) {
                    results.get(i % 2).add(result); // delivered twice
                }
            }
        }
        List<List<ApexEvent>> partitions = new ArrayList<>();
        partitions.addAll(requests);
        partitions.addAll(results);
        List<ApexEvent> batches = new ArrayList<>();
        entries.forEach((attempt, list) -> batches.add(new BatchSubmitted("bs-" + attempt, 1,
                AT.plusSeconds(100L * attempt + 20), "batch-" + attempt, Providers.OPENAI, RUN, "gpt-4o",
                "intent-" + attempt, "file-" + attempt, list)));
        partitions.add(batches);
        bodies.values().forEach(b -> partitions.add(List.of(b)));
        int prompt = random.nextInt(3); // ingested first, last, or never
        if (prompt < 2) {
            ApexEvent ingested = JudgeEvents.prompt(PROMPT, "Write about 40 words on a lighthouse.");
            partitions.add(List.of(prompt == 0 ? ingested : reDated(ingested)));
        }
        if (random.nextBoolean()) {
            GenerationRequested judge = JudgeEvents.judgeRequest("run-judge", PROMPT, 1,
                    random.nextBoolean() ? JudgeEvents.pairwise(RUN, PROMPT) : JudgeEvents.rubric(RUN, PROMPT));
            String answer = random.nextBoolean() ? "{\"winner\": \"A\", \"margin\": 1}" : "not a verdict";
            partitions.add(List.of(judge, JudgeEvents.submitted(judge, 1), JudgeEvents.answered(judge, 1, answer)));
        }
        partitions.removeIf(List::isEmpty);
        return partitions;
    }

    private static GenerationCompleted result(Random random, String id, int attempt, String customId, String hash,
                                              boolean batch, Instant at, boolean output) {
        return new GenerationCompleted("gc-" + id + "-" + attempt + "-" + at.getEpochSecond(), 1, at, RUN, id,
                attempt, "cond-4o", SLUG, PROMPT, random.nextBoolean() ? 1 : 0, Providers.OPENAI, "gpt-4o",
                batch ? RunMode.BATCH : RunMode.SYNC, batch ? "batch-" + attempt : null, customId,
                output ? GenerationStatus.COMPLETED : GenerationStatus.ERROR,
                output ? "The lamp turns,\tthe lamp turns;\nships pass " + attempt + " times and the keeper "
                        + "writes it down." : null,
                output ? "stop" : null, output ? new Usage(900, random.nextInt(2) * 400, 0, 60, 0) : Usage.NONE,
                output && random.nextBoolean(), output ? new BigDecimal("0.004500") : null,
                output ? null : ErrorKind.SERVER, output ? null : "overloaded\\", hash);
    }

    /** The prompt ingested after every output of it. */
    private static ApexEvent reDated(ApexEvent prompt) {
        var p = (io.apexaudition.events.PromptIngested) prompt;
        return new io.apexaudition.events.PromptIngested(p.eventId(), p.schemaVersion(), AT.plusSeconds(3_600),
                p.promptId(), p.version(), p.contentHash(), p.title(), p.genre(), p.text(), p.sharedContext());
    }
}
