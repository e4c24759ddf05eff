package io.apexaudition.recorder.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.core.judging.JudgeAnswers;
import io.apexaudition.recorder.JudgeEvents;
import io.apexaudition.recorder.health.RecordingProgress;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.testsupport.HostileRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a consumed batch holds, the recorder stores or parks every record of it, in bounded time, and the
 * event behind them is recorded: against a real Postgres with the real schema.
 */
class RecordingPropertyTest {
    private static final List<Class<? extends ApexEvent>> KINDS = List.of(io.apexaudition.events.RunAccepted.class,
            io.apexaudition.events.RunRejected.class, io.apexaudition.events.LaneRegistered.class,
            io.apexaudition.events.PromptIngested.class, GenerationRequested.class,
            io.apexaudition.events.LaneGroupRequested.class,
            io.apexaudition.events.DispatchIntended.class, io.apexaudition.events.BatchSubmitted.class,
            io.apexaudition.events.DispatchSettled.class, io.apexaudition.events.BatchStatusChanged.class,
            io.apexaudition.events.GenerationCompleted.class, io.apexaudition.events.RunCompleted.class,
            io.apexaudition.events.DeadLettered.class, io.apexaudition.events.VerdictRecorded.class);
    private static final AtomicLong OFFSET = new AtomicLong();
    private static PGSimpleDataSource dataSource;
    private static ExecutorService writer;

    @BeforeContainer
    static void migrate() {
        dataSource = MigratedDatabase.fresh();
        writer = Executors.newSingleThreadExecutor();
    }

    @AfterContainer
    static void stop() {
        writer.shutdownNow();
    }

    @Provide
    Arbitrary<List<byte[]>> batches() {
        @SuppressWarnings("unchecked")
        Class<? extends ApexEvent>[] kinds = KINDS.toArray(new Class[0]);
        return HostileRecords.values(kinds).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 150, seed = "20261201")
    void shouldStoreOrParkEveryRecordOfABatchAndRecordTheEventBehindThem(@ForAll("batches") List<byte[]> values)
            throws Exception {
        // given a consumed batch of arbitrary records, followed by a valid request
        RecordingProcessor processor = new RecordingProcessor(new ProjectionRepository(dataSource),
                new RecordingProgress(), new RecorderMetrics(new SimpleMeterRegistry()));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (byte[] value : values) {
            records.add(new ConsumerRecord<>(Topics.GENERATION_RESULTS.name(), 0, OFFSET.incrementAndGet(), "k",
                    value));
        }
        GenerationRequested marker = marker("run-prop-" + OFFSET.incrementAndGet());
        records.add(new ConsumerRecord<>(Topics.GENERATION_REQUESTS_OPENAI.name(), 0, OFFSET.get(), marker.key(),
                EventJson.writeBytes(marker)));

        // when the recorder writes it (bounded: a record retried forever would never return)
        writer.submit(() -> {
            processor.write(records);
            return null;
        }).get(60, TimeUnit.SECONDS);

        // then every unreadable record is parked at its position, and the request behind them is recorded
        for (ConsumerRecord<String, byte[]> r : records) {
            boolean readable;
            try {
                EventJson.read(r.value(), java.util.Set.of());
                readable = true;
            } catch (EventJson.UnreadableEventException e) {
                readable = false;
            }
            if (!readable) {
                assertThat(count("SELECT count(*) FROM apex_audition.dead_letters WHERE source_topic = '" + r.topic()
                        + "' AND partition = " + r.partition() + " AND \"offset\" = " + r.offset())).as("parked record at offset %d", r.offset())
                        .isEqualTo(1);
            }
        }
        assertThat(count("SELECT count(*) FROM apex_audition.generations WHERE id = '" + marker.generationId()
                + "'")).isEqualTo(1);
    }

    @Provide
    Arbitrary<JsonNode> judgeSubjects() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        // mostly a subject the planner could write, so that answers get read; each field sometimes missing or odd
        Arbitrary<Optional<JsonNode>> kind = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(Optional.of(json.textNode("RUBRIC")))),
                Tuple.of(5, Arbitraries.just(Optional.of(json.textNode("PAIRWISE")))),
                Tuple.of(1, Arbitraries.of(Optional.of(json.textNode("VIBES")), Optional.of(json.nullNode()),
                        Optional.empty())));
        Arbitrary<Optional<JsonNode>> text = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("run-src", "p01", "g-a", "g-b", "4o.t0-6", "sonnet.t0-8.std")
                        .map(t -> Optional.of(json.textNode(t)))),
                Tuple.of(10, HostileRecords.text().map(t -> Optional.of(json.textNode(t)))),
                Tuple.of(1, Arbitraries.just(Optional.of(json.nullNode()))),
                Tuple.of(1, Arbitraries.just(Optional.empty())));
        Arbitrary<Optional<JsonNode>> criteria = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Optional.of(array(JudgeEvents.CRITERIA)))),
                Tuple.of(3, HostileRecords.text().list().ofMaxSize(4).map(c -> Optional.of(array(c)))),
                Tuple.of(1, Arbitraries.of(Optional.of(json.nullNode()), Optional.empty(),
                        Optional.of(json.textNode("imagery")), Optional.of(json.arrayNode().add(json.nullNode())))));
        Arbitrary<Optional<JsonNode>> odd = Arbitraries.of(0, -1, 10, Integer.MAX_VALUE, Integer.MIN_VALUE)
                .map(v -> Optional.<JsonNode>of(json.numberNode(v)));
        Arbitrary<Optional<JsonNode>> min = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Optional.of(json.numberNode(1)))), Tuple.of(1, odd));
        Arbitrary<Optional<JsonNode>> max = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Optional.of(json.numberNode(10)))), Tuple.of(1, odd));
        List<String> names = List.of("kind", "sourceRunId", "promptId", "generationIdA", "laneA", "generationIdB",
                "laneB", "criteria", "scaleMin", "scaleMax");
        return Combinators.combine(List.of(kind, text, text, text, text, text, text, criteria, min, max))
                .as(values -> {
                    ObjectNode subject = json.objectNode();
                    for (int i = 0; i < names.size(); i++) {
                        int at = i;
                        values.get(i).ifPresent(v -> subject.set(names.get(at), v));
                    }
                    return subject;
                });
    }

    @Provide
    Arbitrary<String> judgeAnswers() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("{\"winner\": \"A\", \"margin\": 2}", "{\"winner\": \"tie\"}",
                        "```json\n{\"winner\": \"b\", \"margin\": \"slight\"}\n```",
                        "{\"imagery\": 8, \"voice\": 7, \"structure\": 9, \"rationale\": \"x\"}",
                        "{\"scores\": {\"imagery\": {\"score\": 3}, \"voice\": \"4\", \"structure\": 5}}")),
                Tuple.of(2, Arbitraries.of("{\"winner\": \"A\"}", "{\"winner\": 1, \"margin\": 9}",
                        "{\"imagery\": 1e400, \"voice\": null, \"structure\": [1]}", "{\"winner\": \"A\\u0000\"}",
                        "{".repeat(5_000), "}{".repeat(5_000), "x".repeat(JudgeAnswers.MAX_ANSWER_CHARS + 1), "",
                        "null")),
                Tuple.of(2, HostileRecords.text()),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(200)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    @Property(tries = 150, seed = "20261201")
    void shouldRecordOrParkHostileJudgeRequestsAndAnswersAndNeverLeaveAJudgmentAtOddsWithItsGeneration(
            @ForAll("judgeSubjects") JsonNode subject, @ForAll("judgeAnswers") String answer,
            @ForAll boolean answerFirst, @ForAll boolean oneBatch) throws Exception {
        // given a judge request with a subject no test chose, and an answer no judge should give, in either order
        RecordingProcessor processor = new RecordingProcessor(new ProjectionRepository(dataSource),
                new RecordingProgress(), new RecorderMetrics(new SimpleMeterRegistry()));
        GenerationRequested valid = JudgeEvents.judgeRequest("run-hostile-judge-" + OFFSET.incrementAndGet(), "p01",
                1, JudgeEvents.pairwise("run-src", "p01"));
        ObjectNode request = (ObjectNode) EventJson.mapper().readTree(EventJson.writeBytes(valid));
        request.set("judging", subject);
        ConsumerRecord<String, byte[]> requestRecord = new ConsumerRecord<>(
                Topics.GENERATION_REQUESTS_ANTHROPIC.name(), 0, OFFSET.incrementAndGet(), valid.key(),
                EventJson.mapper().writeValueAsBytes(request));
        ConsumerRecord<String, byte[]> answerRecord = new ConsumerRecord<>(Topics.GENERATION_RESULTS.name(), 0,
                OFFSET.incrementAndGet(), valid.key(), EventJson.writeBytes(JudgeEvents.answered(valid, 1, answer)));
        List<ConsumerRecord<String, byte[]>> records = answerFirst ? List.of(answerRecord, requestRecord)
                : List.of(requestRecord, answerRecord);
        GenerationRequested marker = marker("run-prop-" + OFFSET.incrementAndGet());
        ConsumerRecord<String, byte[]> markerRecord = new ConsumerRecord<>(Topics.GENERATION_REQUESTS_OPENAI.name(),
                0, OFFSET.get(), marker.key(), EventJson.writeBytes(marker));

        // when the recorder writes them, in one batch or two, then the next event (bounded: never retried forever)
        List<List<ConsumerRecord<String, byte[]>>> batches = oneBatch
                ? List.of(List.of(records.get(0), records.get(1), markerRecord))
                : List.of(List.of(records.get(0)), List.of(records.get(1), markerRecord));
        for (List<ConsumerRecord<String, byte[]>> batch : batches) {
            writer.submit(() -> {
                processor.write(batch);
                return null;
            }).get(60, TimeUnit.SECONDS);
        }

        // then each record is recorded or parked, the next event is recorded, and a judgment that was recorded says
        // what its generation says: judged only of a completed answer, unparseable only of an unparseable_judgment
        for (ConsumerRecord<String, byte[]> r : records) {
            boolean parked = count("SELECT count(*) FROM apex_audition.dead_letters WHERE source_topic = '" + r.topic()
                    + "' AND partition = " + r.partition() + " AND \"offset\" = " + r.offset()) == 1;
            boolean stored = r == answerRecord ? count("SELECT count(*) FROM apex_audition.generation_attempts "
                    + "WHERE generation_id = '" + valid.generationId() + "'") == 1
                    : count("SELECT count(*) FROM apex_audition.judgments WHERE generation_id = '"
                    + valid.generationId() + "'") == 1;
            assertThat(parked || stored).as("%s recorded or parked", r.topic()).isTrue();
        }
        assertThat(count("SELECT count(*) FROM apex_audition.generations WHERE id = '" + marker.generationId()
                + "'")).isEqualTo(1);
        Statistics.label("judgment").collect(judgmentStatus(valid.generationId()));
        assertThat(count("""
                SELECT count(*) FROM apex_audition.judgments j JOIN apex_audition.generations g
                    ON g.id = j.generation_id
                WHERE j.generation_id = '%s' AND NOT (
                    (j.status = 'judged' AND g.status = 'completed' AND j.problem IS NULL
                        AND (j.winner IS NOT NULL OR j.scores IS NOT NULL))
                    OR (j.status = 'unparseable' AND g.status = 'error' AND g.error_kind = 'unparseable_judgment'
                        AND j.problem = g.error_message AND g.output_text IS NOT DISTINCT FROM %s)
                    OR (j.status = 'pending' AND g.status NOT IN ('completed')))""".formatted(valid.generationId(),
                answer == null ? "NULL" : "output_text"))).isZero();
    }

    private static String judgmentStatus(String generationId) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status FROM apex_audition.judgments WHERE generation_id = '"
                     + generationId + "'")) {
            return rs.next() ? rs.getString(1) : "none (request parked)";
        }
    }

    private static JsonNode array(List<String> values) {
        var array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static GenerationRequested marker(String runId) {
        String id = EventIds.generationId(runId, "4o.t0-6", "p01", 1);
        return new GenerationRequested("e-" + id, 1, Instant.now(), runId, id, 1, "cond-4o", "4o.t0-6",
                Providers.OPENAI, "gpt-4o", "gpt-4o", new LaneParameters(0.6, 6000, null, null, null), "p01", 1,
                "text", null, 1, RunMode.BATCH, false, false, true, 1);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
