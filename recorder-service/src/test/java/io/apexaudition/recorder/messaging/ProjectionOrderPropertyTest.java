package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;
import io.apexaudition.events.VerdictRecorded;
import io.apexaudition.recorder.JudgeEvents;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.postgresql.ds.PGSimpleDataSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection does not depend on the order events arrive in: a run's events (lanes, prompt, run, requests,
 * intents, batches and their statuses, results with an error and its retry, a judge's request and answer, a
 * verdict, a dead letter), read in any interleaving that keeps each partition's order and cut into slices
 * anywhere, end in the same tables as read one by one in the order they happened, through the live path and
 * through the rebuild's path (staged by COPY, folded and written once) alike. Against a real Postgres with the real
 * schema.
 */
class ProjectionOrderPropertyTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static PGSimpleDataSource dataSource;

    @BeforeContainer
    static void migrate() {
        dataSource = MigratedDatabase.fresh();
    }

    @Property(tries = 25, seed = "20261201")
    void shouldEndInTheSameTablesWhateverOrderAndSlicesTheEventsArriveIn(@ForAll long order,
            @ForAll @IntRange(min = 1, max = 6) int generations, @ForAll boolean staged) throws Exception {
        // given a run's events, partition by partition, and the tables they make read one by one as they happened
        List<List<ApexEvent>> partitions = run(generations);
        ProjectionRepository repository = new ProjectionRepository(dataSource);
        ProjectedTables.recordAsHappened(repository, partitions);
        Map<String, List<String>> inOrder = ProjectedTables.of(dataSource);

        // when they are read again into empty tables, shuffled across partitions and sliced at random
        repository.truncateAll();
        List<List<ApexEvent>> slices = Interleaving.interleaved(partitions, new Random(order), 8);
        if (staged) {
            Interleaving.rebuild(repository, slices);
        } else {
            for (List<ApexEvent> slice : slices) {
                repository.record(slice);
            }
        }

        // then every table is the same, row for row
        Map<String, List<String>> shuffled = ProjectedTables.of(dataSource);
        for (String table : ProjectedTables.TABLES) {
            assertThat(shuffled.get(table)).as(table).containsExactlyElementsOf(inOrder.get(table));
        }
        assertThat(inOrder.get("generations")).hasSize(generations + 1);
        // generations share bodies (every other one has the same): each distinct body is one row, stored once, and
        // the long text cut out of one of them is one row too
        assertThat(inOrder.get("request_bodies")).hasSize(Math.min(generations, 2));
        assertThat(inOrder.get("long_texts")).hasSize(generations >= 2 ? 1 : 0);
        // and every generation's body, its long text put back, is the body its claim check names
        try (var c = dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT request_body_hash, encode(sha256(convert_to(request_body, 'UTF8')), 'hex') "
                        + "FROM apex_audition.generation_requests WHERE run_id = 'run-order'")) {
            int rows = 0;
            while (rs.next()) {
                assertThat(rs.getString(2)).as("the whole body of %s", rs.getString(1)).isEqualTo(rs.getString(1));
                rows++;
            }
            assertThat(rows).isEqualTo(generations);
        }
    }

    /** A long text as a body holds it (escaped), with what COPY's text format must escape. */
    private static final String LONG_TEXT = "# House style\\n\\t\\\\ é " + "Prefer the concrete. ".repeat(120);

    /** The events of one run of {@code n} generations (odd ones fail once and are retried) and a judge's. */
    private static List<List<ApexEvent>> run(int n) {
        String runId = "run-order";
        String slug = "4o.t0-6";
        String promptId = "p-order";
        List<ApexEvent> requests = new ArrayList<>();
        List<ApexEvent> results = new ArrayList<>();
        List<ApexEvent> intents = new ArrayList<>();
        List<ApexEvent> bodies = new ArrayList<>();
        List<List<ApexEvent>> batches = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            List<BatchEntry> entries = new ArrayList<>();
            String batch = "batch-" + attempt;
            for (int i = 0; i < n; i++) {
                boolean retried = i % 2 == 1;
                if (attempt == 2 && !retried) {
                    continue;
                }
                String id = EventIds.generationId(runId, slug, promptId + "-" + i, 1);
                if (attempt == 1) {
                    ids.add(id);
                }
                String customId = EventIds.customId(id, attempt);
                Instant t = AT.plusSeconds(100L * attempt + i);
                requests.add(new GenerationRequested("gr-" + id + "-" + attempt, 1, t, runId, id, attempt,
                        "cond-4o", slug, Providers.OPENAI, "gpt-4o", "gpt-4o",
                        new LaneParameters(0.6, 6000, null, null, null), promptId, 1, "Write about 40 words.", null,
                        1, RunMode.BATCH, false, false, true, 1));
                // bodies with what COPY's text format must escape: tab, newline, carriage return, backslash; every
                // other generation's body is the same (replicates), and a body is stored again by a later intent
                String body = "{\"messages\":[\"line\\n\t" + (i % 2) + "\r\\\\ end é\"]}";
                String hash = RequestBodyStored.hashOf(body);
                if (i % 2 == 0) {
                    bodies.add(RequestBodyStored.of(body, t.plusSeconds(10)));
                } else {
                    // the other body is stored with a long text cut out (after an é), the text stored on its own
                    String whole = "{\"note\":\"é\",\"system\":\"" + LONG_TEXT + "\",\"messages\":[\"line\\n\t1\r\\\\ end é\"]}";
                    hash = RequestBodyStored.hashOf(whole);
                    int at = whole.indexOf(LONG_TEXT);
                    bodies.add(LongTextStored.of(LONG_TEXT, t.plusSeconds(9)));
                    bodies.add(RequestBodyStored.cut(hash, whole.substring(0, at) + whole.substring(at + LONG_TEXT.length()),
                            RequestBodyStored.hashOf(LONG_TEXT), at, t.plusSeconds(10)));
                }
                entries.add(new BatchEntry(customId, id, attempt, "cond-4o", slug, promptId, 1, hash));
                boolean fails = attempt == 1 && retried;
                results.add(new GenerationCompleted("gc-" + id + "-" + attempt, 1, t.plusSeconds(50), runId, id,
                        attempt, "cond-4o", slug, promptId, 1, Providers.OPENAI, "gpt-4o", RunMode.BATCH, batch,
                        customId, fails ? GenerationStatus.ERROR : GenerationStatus.COMPLETED,
                        fails ? null : "The lamp turns,\tthe lamp turns;\nships pass " + i + ".",
                        fails ? null : "stop", fails ? Usage.NONE : new Usage(900, 0, 0, 60, 0), false,
                        fails ? null : new BigDecimal("0.004500"), fails ? ErrorKind.SERVER : null,
                        fails ? "overloaded\\" : null, hash));
            }
            Instant submitted = AT.plusSeconds(100L * attempt + 20);
            intents.add(new DispatchIntended("di-" + batch, 1, submitted.minusSeconds(5), "intent-" + batch,
                    Providers.OPENAI, runId, slug, "gpt-4o", DispatchIntended.Kind.BATCH, attempt,
                    entries.stream().map(BatchEntry::customId).toList()));
            intents.add(new DispatchSettled("ds-" + batch, 1, submitted.plusSeconds(1), "intent-" + batch,
                    Providers.OPENAI, runId, true, null, null));
            batches.add(List.of(
                    new BatchSubmitted("bs-" + batch, 1, submitted, batch, Providers.OPENAI, runId, "gpt-4o",
                            "intent-" + batch, "file-" + batch, entries),
                    new BatchStatusChanged("st1-" + batch, 1, submitted.plusSeconds(10), batch, Providers.OPENAI,
                            runId, "in_progress", false, Map.of("total", entries.size()), null),
                    new BatchStatusChanged("st2-" + batch, 1, submitted.plusSeconds(40), batch, Providers.OPENAI,
                            runId, "completed", true, Map.of("total", entries.size(), "completed", entries.size()),
                            "done")));
        }
        GenerationRequested judge = JudgeEvents.judgeRequest("run-judge", promptId, 1,
                JudgeEvents.pairwise(runId, promptId));
        List<List<ApexEvent>> partitions = new ArrayList<>(batches);
        partitions.add(List.of(new LaneRegistered("lr", 1, AT.minusSeconds(90), "cond-4o", slug, 1,
                Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.6, 6000, null, null, null), "hash",
                "a lane")));
        partitions.add(List.of(JudgeEvents.prompt(promptId, "Write about 40 words on a lighthouse.")));
        partitions.add(List.of(
                new RunAccepted("ra", 1, AT, runId, RunMode.BATCH, false, false, true, null, 1, "me", "why",
                        List.of(new PlannedLane("cond-4o", slug, Providers.OPENAI, "gpt-4o", n)), List.of(promptId), n),
                new RunCompleted("rc", 1, AT.plusSeconds(900), runId, n, n, 0, 0, new BigDecimal("0.0135"))));
        partitions.add(requests);
        partitions.add(results);
        partitions.add(intents);
        // apex.request-bodies is keyed by hash: each hash's records in one partition, in the order they came
        bodies.stream().collect(java.util.stream.Collectors.groupingBy(ApexEvent::key,
                java.util.LinkedHashMap::new, java.util.stream.Collectors.toList())).values().forEach(partitions::add);
        partitions.add(List.of(judge, JudgeEvents.submitted(judge, 1),
                JudgeEvents.answered(judge, 1, "{\"winner\": \"B\", \"margin\": 2}")));
        partitions.add(List.of(new VerdictRecorded("vr", 1, AT.plusSeconds(950), runId, "verdict-1", promptId,
                VerdictRecorded.Kind.PAIRWISE, ids.get(0), "gen-b", VerdictRecorded.Winner.A, null, "reader",
                true)));
        partitions.add(List.of(new DeadLettered("dl", 1, AT.plusSeconds(960), "planner", "apex.runs", 0, 7L,
                "k", "unreadable", "{oops\t}")));
        return partitions;
    }
}
