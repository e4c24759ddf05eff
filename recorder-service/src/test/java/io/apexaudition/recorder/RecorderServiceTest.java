package io.apexaudition.recorder;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.events.Usage;
import io.apexaudition.events.VerdictRecorded;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.apexaudition.testsupport.MetricsText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class RecorderServiceTest {
    private static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");
    /** The recorder's token in the test profile (application.properties). */
    private static final String TOKEN = "test-admin-token";
    private static final String BODY = "{\"model\":\"gpt-4o\"}";

    @Inject
    DataSource dataSource;

    private KafkaTestClient kafka;

    @BeforeEach
    void setUp() {
        kafka = new KafkaTestClient(KafkaInfra.bootstrapServers());
    }

    @AfterEach
    void tearDown() {
        kafka.close();
    }

    private static GenerationRequested requested(String runId, String promptId) {
        String id = EventIds.generationId(runId, "4o.t0-6", promptId, 1);
        return new GenerationRequested("e-" + id, 1, AT, runId, id, 1, "cond-4o", "4o.t0-6", Providers.OPENAI,
                "gpt-4o", "gpt-4o", new LaneParameters(0.6, 6000, null, null, null), promptId, 1, "text", null, 1,
                RunMode.BATCH, false, false, true, 1);
    }

    private static GenerationCompleted completed(GenerationRequested r, Instant at) {
        return new GenerationCompleted("c-" + r.generationId(), 1, at, r.runId(), r.generationId(), 1,
                r.conditionId(), r.conditionSlug(), r.promptId(), 1, r.provider(), r.model(), RunMode.BATCH, "batch_1",
                r.customId(), GenerationStatus.COMPLETED, "A poem", "stop", new Usage(100, 0, 0, 50, 0), false,
                new BigDecimal("0.000750"), null, null, RequestBodyStored.hashOf(BODY));
    }

    private static GenerationCompleted completed(GenerationRequested r, String output, BigDecimal cost) {
        return new GenerationCompleted("c-" + r.generationId(), 1, AT, r.runId(), r.generationId(), 1,
                r.conditionId(), r.conditionSlug(), r.promptId(), 1, r.provider(), r.model(), RunMode.BATCH, "batch_1",
                r.customId(), GenerationStatus.COMPLETED, output, "stop", new Usage(1, 0, 0, 1, 0), false, cost, null,
                null, RequestBodyStored.hashOf(BODY));
    }

    @Test
    void shouldRecordAGenerationOnceAndNeverMoveItsStatusBackwards() throws Exception {
        // given a generation completed, its completion redelivered, then another completion on the same partition
        GenerationRequested request = requested("run-rec-1", "p01");
        GenerationRequested marker = requested("run-rec-1", "p02");
        kafka.publish(Topics.GENERATION_RESULTS.name(), completed(request, AT.plusSeconds(5)));
        kafka.publish(Topics.GENERATION_RESULTS.name(), completed(request, AT.plusSeconds(5)));
        kafka.publish(Topics.GENERATION_RESULTS.name(), completed(marker, AT.plusSeconds(6)));
        String completedRow = "SELECT count(*) FROM apex_audition.generations WHERE id = '" + request.generationId()
                + "' AND status = 'completed' AND output_tokens = 50";
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.generations "
                + "WHERE id = '" + marker.generationId() + "'") == 1);

        // when its request arrives late, followed on the same partition by the other one's request
        kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), request);
        kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), marker);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.generations "
                + "WHERE id = '" + marker.generationId() + "' AND replicate = 1") == 1);

        // then the redelivery was recorded as the same attempt, not refused as a second one and parked (the table's
        // key allows one row per attempt: what is checked is that row's content, attempt 1 as completed); the row is
        // still completed, enriched with what only the request carried
        assertThat(count("SELECT count(*) FROM apex_audition.generation_attempts WHERE generation_id = '"
                + request.generationId() + "' AND attempt = 1 AND status = 'completed' AND output_tokens = 50 "
                + "AND ended_at = '" + AT.plusSeconds(5) + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM apex_audition.dead_letters WHERE payload LIKE '%"
                + request.generationId() + "%'")).isZero();
        assertThat(count(completedRow + " AND replicate = 1")).isEqualTo(1);
    }

    @Test
    void shouldStoreABodyOnceForEveryGenerationNamingItAndJoinItBack() throws Exception {
        // given two generations whose requests had one body, stored twice (a re-publication after a restart)
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Tides, é\\n\"}]}";
        RequestBodyStored stored = RequestBodyStored.of(body, AT);
        GenerationRequested first = requested("run-rec-bodies", "p01");
        GenerationRequested second = requested("run-rec-bodies", "p02");

        // when the body and both results arrive
        kafka.publish(Topics.REQUEST_BODIES.name(), stored);
        kafka.publish(Topics.REQUEST_BODIES.name(), RequestBodyStored.of(body, AT.plusSeconds(60)));
        for (GenerationRequested r : List.of(first, second)) {
            GenerationCompleted done = completed(r, AT.plusSeconds(5));
            kafka.publish(Topics.GENERATION_RESULTS.name(), new GenerationCompleted(done.eventId(), 1, done.occurredAt(),
                    done.runId(), done.generationId(), 1, done.conditionId(), done.conditionSlug(), done.promptId(), 1,
                    done.provider(), done.model(), done.mode(), done.batchId(), done.customId(), done.status(),
                    done.outputText(), done.finishReason(), done.usage(), false, done.costUsd(), null, null,
                    stored.bodyHash()));
        }

        // then the body is one row, and the view gives each generation the exact body, which Postgres hashes alike
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.generation_requests "
                + "WHERE run_id = 'run-rec-bodies' AND request_body IS NOT NULL") == 2);
        assertThat(count("SELECT count(*) FROM apex_audition.request_bodies WHERE body_hash = '" + stored.bodyHash()
                + "'")).isEqualTo(1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT request_body, encode(sha256(convert_to(request_body, 'UTF8')), "
                     + "'hex') FROM apex_audition.generation_requests WHERE run_id = 'run-rec-bodies'")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).isEqualTo(body);
                assertThat(rs.getString(2)).isEqualTo(stored.bodyHash());
            }
        }
    }

    @Test
    void shouldParkMalformedJsonAndRecordTheNextEvent() {
        kafka.publishRaw(Topics.GENERATION_RESULTS.name(), "run-rec-2/x", "{\"type\":\"GenerationCompleted\", oops");
        GenerationRequested next = requested("run-rec-2", "p01");
        kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), next);

        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.generations "
                + "WHERE run_id = 'run-rec-2'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM apex_audition.dead_letters "
                + "WHERE source_key = 'run-rec-2/x' AND reason LIKE 'malformed JSON%'") == 1);

        // and the parked record is counted where a monitor looks, without taking the recorder out of rotation
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'dead-letters' }.data.'recorder-service'", greaterThanOrEqualTo(1));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldStoreAnOutputWithNulAndLoneSurrogatesLosslesslyAndKeepRecording() throws Exception {
        // given a model output holding a NUL, a lone surrogate and an emoji (a valid pair)
        GenerationRequested request = requested("run-rec-3", "p01");
        String output = "before\u0000after \ud800 lone \uD83D\uDE00 pair";
        GenerationCompleted done = completed(request, output, BigDecimal.ONE);

        // when it is recorded, written as the services write events (UTF-8 bytes, where Jackson escapes a lone
        // surrogate; a String serializer would turn it into '?')
        kafka.publishRaw(Topics.GENERATION_RESULTS.name(), done.key(), new String(
                io.apexaudition.events.EventJson.writeBytes(done), java.nio.charset.StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.generations "
                + "WHERE run_id = 'run-rec-3' AND status = 'completed'") == 1);

        // then the text column is readable and the exact column gives back every character
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT output_text, output_text_exact FROM apex_audition.generations "
                     + "WHERE run_id = 'run-rec-3'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("before\uFFFDafter \uFFFD lone \uD83D\uDE00 pair");
            assertThat(io.apexaudition.events.EventJson.mapper().readValue(rs.getString(2), String.class))
                    .isEqualTo(output);
        }
    }

    @Test
    void shouldParkIncompleteRecordsJsonNullAndTombstonesAndRecordTheNextEvent() {
        // given a result with no ids, JSON null and a tombstone
        kafka.publishRaw(Topics.GENERATION_RESULTS.name(), "run-rec-4/a", "{\"type\":\"GenerationCompleted\"}");
        kafka.publishRaw(Topics.GENERATION_RESULTS.name(), "run-rec-4/b", "null");
        kafka.publishRaw(Topics.GENERATION_RESULTS.name(), "run-rec-4/c", null);
        GenerationRequested next = requested("run-rec-4", "p01");
        kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), next);

        // then each is parked with its reason and the next event is recorded
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.generations "
                + "WHERE run_id = 'run-rec-4'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM apex_audition.dead_letters "
                + "WHERE source_key = 'run-rec-4/a' AND reason LIKE '%incomplete%runId is missing%'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM apex_audition.dead_letters "
                + "WHERE source_key IN ('run-rec-4/b', 'run-rec-4/c')") == 2);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldParkARecordPostgresRefusesForItsContentInsteadOfRetryingIt() {
        // given a result whose cost does not fit numeric(14, 6) (SQLState 22003), a rejection full of NULs, and a
        // request behind them
        GenerationRequested request = requested("run-rec-5", "p01");
        GenerationCompleted huge = completed(request, "x", new BigDecimal("1e20"));
        kafka.publish(Topics.GENERATION_RESULTS.name(), huge);
        kafka.publish(Topics.RUNS.name(), new io.apexaudition.events.RunRejected("e5b", 1, AT, "run-rec-5b",
                "bad\u0000reason", java.util.List.of("a\u0000problem"), "{\"notes\":\"\u0000\"}"));
        GenerationRequested next = requested("run-rec-5", "p02");
        kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), next);

        // then the refused result is parked naming the refusal, the rejection is stored, the next event recorded
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.generations "
                + "WHERE id = '" + next.generationId() + "'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM apex_audition.dead_letters "
                + "WHERE reason LIKE 'Postgres refused this GenerationCompleted%SQLState 22003%'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM apex_audition.runs "
                + "WHERE id = 'run-rec-5b' AND reason = 'bad\uFFFDreason'") == 1);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldCountWhatItRecordsAtQMetrics() {
        // given a request, its completion (paid), a request that ended in an error, and an unreadable record
        GenerationRequested request = requested("run-rec-6", "p01");
        GenerationRequested failing = requested("run-rec-6", "p02");
        kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), request);
        kafka.publish(Topics.GENERATION_REQUESTS_OPENAI.name(), failing);
        kafka.publish(Topics.GENERATION_RESULTS.name(), completed(request, AT.plusSeconds(5)));
        GenerationCompleted ok = completed(failing, AT.plusSeconds(5));
        kafka.publish(Topics.GENERATION_RESULTS.name(), new GenerationCompleted("c-err", 1, AT, ok.runId(),
                ok.generationId(), 1, ok.conditionId(), ok.conditionSlug(), ok.promptId(), 1, ok.provider(),
                ok.model(), RunMode.BATCH, "batch_1", ok.customId(), GenerationStatus.ERROR, null, null, null, false,
                null, io.apexaudition.events.ErrorKind.RATE_LIMIT, "slow down", RequestBodyStored.hashOf(BODY)));
        kafka.publishRaw(Topics.GENERATION_RESULTS.name(), "run-rec-6/x", "not json");

        // then /q/metrics counts them by lane, model and provider, the run's cost, and the parked record
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            MetricsText metrics = new MetricsText(given().get("/q/metrics").then().statusCode(200).extract().asString());
            String lane = "4o.t0-6";
            assertThat(metrics.sum("apex_generations_requested_total", "lane", lane, "model", "gpt-4o", "provider",
                    "openai")).as("%s", metrics.samples("apex_")).isGreaterThanOrEqualTo(2);
            assertThat(metrics.sum("apex_generations_completed_total", "lane", lane, "status", "completed"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics.sum("apex_generations_errored_total", "lane", lane, "error_kind", "rate_limit"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics.sum("apex_run_cost_usd_total", "run", "run-rec-6")).isEqualTo(0.00075);
            assertThat(metrics.sum("apex_records_parked_total", "consumer", "recorder-service", "topic",
                    Topics.GENERATION_RESULTS.name())).isGreaterThanOrEqualTo(1);
            assertThat(metrics.has("kafka_consumer_fetch_manager_records_lag_max")).isTrue();
        });
    }

    @Test
    void shouldBeReadyWithKafkaAndPostgresUp() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));
    }

    private static VerdictRecorded pairwise(String eventId, String verdictId) {
        return new VerdictRecorded(eventId, 1, AT, "run-verdicts", verdictId, "p01", VerdictRecorded.Kind.PAIRWISE,
                "g-a", "g-b", VerdictRecorded.Winner.B, null, "ada", true);
    }

    @Test
    void shouldRecordAVerdictOnceHoweverOftenItIsSentAndKeepItThroughARebuild() throws Exception {
        // given a pairwise verdict sent twice (the second time as another event, as a retry would) and a ranking
        kafka.publish(Topics.VERDICTS.name(), pairwise("ev-1", "verdict-pair"));
        kafka.publish(Topics.VERDICTS.name(), pairwise("ev-2", "verdict-pair"));
        kafka.publish(Topics.VERDICTS.name(), new VerdictRecorded("ev-3", 1, AT.plusSeconds(9), "run-verdicts",
                "verdict-rank", "p02", VerdictRecorded.Kind.RANKING, null, null, null, List.of("g-c", "g-a", "g-b"),
                null, false));

        // when the recorder has them
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.verdicts "
                + "WHERE run_id = 'run-verdicts'") == 2);

        // then each verdict is one row, as it was cast
        List<String> rows = rows();
        assertThat(rows).containsExactly(
                "verdict-pair|p01|pairwise|g-a|g-b|b|null|ada|true|ev-1|2026-11-26T12:00:00",
                "verdict-rank|p02|ranking|null|null|null|{g-c,g-a,g-b}|null|false|ev-3|2026-11-26T12:00:09");

        // and a rebuild (tables emptied, every topic replayed) gives back the same rows, and only them: a row no
        // event backs is gone
        execute("INSERT INTO apex_audition.verdicts (verdict_id, run_id, prompt_id, kind, generation_a, generation_b, "
                + "winner, blind, occurred_at, event_id) VALUES ('verdict-stray', 'run-verdicts', 'p01', 'pairwise', "
                + "'g-a', 'g-b', 'a', true, now(), 'ev-stray')");
        given().header("Authorization", "Bearer " + TOKEN).post("/api/rebuild").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.verdicts "
                + "WHERE run_id = 'run-verdicts'") == 2);
        assertThat(rows()).isEqualTo(rows);
    }

    @Test
    void shouldParkAVerdictComparingAnOutputWithItself() throws Exception {
        // given a pairwise verdict naming one output twice (the viewer refuses it; any producer could write it)
        VerdictRecorded same = new VerdictRecorded("ev-same", 1, AT, "run-verdicts-2", "verdict-same", "p01",
                VerdictRecorded.Kind.PAIRWISE, "g-a", "g-a", VerdictRecorded.Winner.A, null, null, true);
        kafka.publish(Topics.VERDICTS.name(), same);
        kafka.publish(Topics.VERDICTS.name(), new VerdictRecorded("ev-next", 1, AT, "run-verdicts-2", "verdict-next",
                "p01", VerdictRecorded.Kind.PAIRWISE, "g-a", "g-b", VerdictRecorded.Winner.TIE, null, null, true));

        // then Postgres's refusal parks it with the reason, and the next verdict is recorded
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM apex_audition.verdicts "
                + "WHERE verdict_id = 'verdict-next'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM apex_audition.dead_letters "
                + "WHERE source_topic = 'apex.verdicts' AND reason LIKE 'Postgres refused this VerdictRecorded%"
                + "verdicts_pairwise%'") == 1);
        assertThat(count("SELECT count(*) FROM apex_audition.verdicts WHERE verdict_id = 'verdict-same'"))
                .isZero();
    }

    private List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT verdict_id, prompt_id, kind, generation_a, generation_b, winner, "
                     + "ranking::text, reader, blind::text, event_id, "
                     + "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') "
                     + "FROM apex_audition.verdicts "
                     + "WHERE run_id = 'run-verdicts' ORDER BY verdict_id")) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 11; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
