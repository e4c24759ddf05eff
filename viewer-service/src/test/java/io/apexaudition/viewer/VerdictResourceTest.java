package io.apexaudition.viewer;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.events.VerdictRecorded;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Casting verdicts through the API, on the real broker (apex.verdicts, read back as a consumer would) and a fresh
 * database with the recorder's schema and seed.sql. The recorder is not running here: where a test needs a verdict
 * in apex_audition.verdicts, it writes the row as the recorder would (RecorderServiceTest proves the recorder does).
 */
@QuarkusTest
@QuarkusTestResource(ViewerKafkaResource.class)
class VerdictResourceTest {
    private static final String RUN = "run-poems";
    private static KafkaTestClient kafka;

    @Inject
    DataSource dataSource;

    private final List<String> written = new ArrayList<>();

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient(KafkaInfra.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @AfterEach
    void removeRowsThisTestWrote() throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM apex_audition.verdicts WHERE verdict_id = ?")) {
            for (String id : written) {
                s.setString(1, id);
                s.executeUpdate();
            }
        }
    }

    /** The blind page's labels of a prompt and the lane behind each, as a revealed page shows them. */
    private static Map<String, String> lanesByLabel(String promptId) {
        JsonPath shown = given().get("/api/runs/" + RUN + "/prompts/" + promptId).then().statusCode(200)
                .extract().jsonPath();
        Map<String, String> lanes = new HashMap<>();
        for (Map<String, Object> o : shown.<Map<String, Object>>getList("outputs")) {
            lanes.put((String) o.get("label"), (String) o.get("laneId"));
        }
        return lanes;
    }

    private static String generation(String lane, String promptId) {
        return RUN + "/" + lane + "/" + promptId + "/1";
    }

    private static Map<String, Object> pairwise(String verdictId, String a, String b, String winner) {
        Map<String, Object> body = new HashMap<>();
        body.put("verdictId", verdictId);
        body.put("promptId", "p01");
        body.put("kind", "pairwise");
        body.put("a", a);
        body.put("b", b);
        body.put("winner", winner);
        body.put("reader", "ada");
        body.put("blind", true);
        body.put("shown", 3);
        return body;
    }

    private static List<ConsumerRecord<String, String>> published(String verdictId, int atLeast, Duration wait) {
        List<ConsumerRecord<String, String>> mine = new ArrayList<>();
        kafka.readUntil(Topics.VERDICTS.name(), records -> {
            mine.clear();
            records.stream().filter(r -> r.value().contains(verdictId)).forEach(mine::add);
            return mine.size() >= atLeast;
        }, wait);
        return mine;
    }

    @Test
    void shouldPublishExactlyOneVerdictRecordedNamingTheGenerationsBehindTheBlindLabels() {
        // given a blind reader who saw p01 as Lane A, B and C
        Map<String, String> lanes = lanesByLabel("p01");
        String verdictId = UUID.randomUUID().toString();

        // when they find Lane C better than Lane A
        given().contentType(ContentType.JSON).body(pairwise(verdictId, "Lane A", "Lane C", "B"))
                .post("/api/runs/" + RUN + "/verdicts").then().statusCode(202)
                .body("verdictId", is(verdictId)).body("status", is("sent"))
                .body("message", is("Verdict recorded — it counts once the recorder has it"));

        // then one VerdictRecorded is on apex.verdicts, keyed by the run, naming the two generations
        assertThat(published(verdictId, 1, Duration.ofSeconds(30))).hasSize(1);
        List<ConsumerRecord<String, String>> records = published(verdictId, 2, Duration.ofSeconds(3));
        assertThat(records).as("exactly one record of the verdict").hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(RUN);
        VerdictRecorded verdict = EventJson.read(records.get(0).value(), VerdictRecorded.class);
        assertThat(verdict.verdictId()).isEqualTo(verdictId);
        assertThat(verdict.runId()).isEqualTo(RUN);
        assertThat(verdict.promptId()).isEqualTo("p01");
        assertThat(verdict.kind()).isEqualTo(VerdictRecorded.Kind.PAIRWISE);
        assertThat(verdict.generationA()).isEqualTo(generation(lanes.get("Lane A"), "p01"));
        assertThat(verdict.generationB()).isEqualTo(generation(lanes.get("Lane C"), "p01"));
        assertThat(verdict.winner()).isEqualTo(VerdictRecorded.Winner.B);
        assertThat(verdict.reader()).isEqualTo("ada");
        assertThat(verdict.blind()).isTrue();
        assertThat(verdict.occurredAt()).isNotNull();
    }

    @Test
    void shouldCountAVerdictSentTwiceOnce() throws Exception {
        // given a verdict sent twice (a double click, a retry after a lost answer)
        String verdictId = UUID.randomUUID().toString();
        Map<String, Object> body = pairwise(verdictId, "Lane B", "Lane C", "TIE");
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).body(body).post("/api/runs/" + RUN + "/verdicts").then()
                    .statusCode(202).body("verdictId", is(verdictId));
        }

        // then whatever reached the topic is one event: the same event id and the same verdict, which the recorder
        // keeps once (its verdict_id is the primary key)
        List<VerdictRecorded> sent = published(verdictId, 2, Duration.ofSeconds(30)).stream()
                .map(r -> EventJson.read(r.value(), VerdictRecorded.class)).toList();
        assertThat(sent).isNotEmpty().allSatisfy(v -> {
            assertThat(v.eventId()).isEqualTo(sent.get(0).eventId());
            assertThat(v).usingRecursiveComparison().ignoringFields("occurredAt").isEqualTo(sent.get(0));
        });

        // and once the recorder has it, sending it again publishes nothing more
        record(sent.get(0));
        given().contentType(ContentType.JSON).body(body).post("/api/runs/" + RUN + "/verdicts").then()
                .statusCode(202).body("verdictId", is(verdictId)).body("status", is("already recorded"));
        assertThat(published(verdictId, sent.size() + 1, Duration.ofSeconds(3))).hasSameSizeAs(sent);
        // while the same id on another run is a mistake, named
        given().contentType(ContentType.JSON).body(body).post("/api/runs/run-live/verdicts").then()
                .statusCode(400).body("error", containsString("is a verdict of another run"));
    }

    @Test
    void shouldRefuseBadBodiesWith400NamingTheProblemAndPublishNothing() {
        String verdictId = UUID.randomUUID().toString();
        String url = "/api/runs/" + RUN + "/verdicts";

        given().contentType(ContentType.JSON).body("{\"verdictId\": oops").post(url).then().statusCode(400)
                .body("error", startsWith("the body is not a verdict"));
        given().contentType(ContentType.JSON).body(pairwise(null, "Lane A", "Lane B", "A")).post(url).then()
                .statusCode(400).body("problems", hasItem(startsWith("verdictId is missing")));
        given().contentType(ContentType.JSON).body(pairwise(verdictId, "Lane A", "Lane A", "A")).post(url).then()
                .statusCode(400).body("error", containsString("a and b are both Lane A: compare two different"));
        Map<String, Object> badKind = pairwise(verdictId, "Lane A", "Lane B", "A");
        badKind.put("kind", "favourite");
        given().contentType(ContentType.JSON).body(badKind).post(url).then().statusCode(400)
                .body("problems", hasItem(startsWith("kind is 'favourite': use 'pairwise'")));
        Map<String, Object> partialRanking = pairwise(verdictId, null, null, null);
        partialRanking.put("kind", "ranking");
        partialRanking.put("ranking", List.of("Lane B", "Lane A"));
        given().contentType(ContentType.JSON).body(partialRanking).post(url).then().statusCode(400)
                .body("error", containsString("ranking leaves out Lane C"));
        Map<String, Object> bell = pairwise(verdictId, "Lane A", "Lane B", "A");
        bell.put("reader", "ada\u0007");
        given().contentType(ContentType.JSON).body(bell).post(url).then().statusCode(400)
                .body("error", containsString("reader holds the control character U+0007"));
        // a run still running: its opus output of p01 is only requested
        Map<String, Object> live = pairwise(verdictId, "run-live/4o.t1-0/p01/1", "run-live/opus.t0-8.std/p01/1", "A");
        live.remove("shown");
        given().contentType(ContentType.JSON).body(live).post("/api/runs/run-live/verdicts").then().statusCode(400)
                .body("error", containsString("which is requested, not completed"));
        given().contentType(ContentType.JSON).body(pairwise(verdictId, "Lane A", "Lane B", "A"))
                .post("/api/runs/no-such-run/verdicts").then().statusCode(404);

        assertThat(published(verdictId, 1, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void shouldRefuseANulInTheVerdictIdOrPromptAs400NotAsADatabaseError() {
        // Postgres refuses a NUL in any text it is asked about: the ids must be checked before they are looked up
        String url = "/api/runs/" + RUN + "/verdicts";
        Map<String, Object> nulId = pairwise("0e0c6a8e-\u00003f4b", "Lane A", "Lane B", "A");
        Map<String, Object> nulPrompt = pairwise(UUID.randomUUID().toString(), "Lane A", "Lane B", "A");
        nulPrompt.put("promptId", "p0\u00001");

        given().contentType(ContentType.JSON).body(nulId).post(url).then().statusCode(400)
                .body("problems", hasItem(containsString("not a UUID")));
        given().contentType(ContentType.JSON).body(nulPrompt).post(url).then().statusCode(400);
    }

    @Test
    void shouldRefuseAVerdictCastOnAPageThatShowedOtherOutputsAsAConflict() {
        Map<String, Object> stale = pairwise(UUID.randomUUID().toString(), "Lane A", "Lane B", "A");
        stale.put("shown", 2);

        given().contentType(ContentType.JSON).body(stale).post("/api/runs/" + RUN + "/verdicts").then()
                .statusCode(409).body("error", containsString("Reload the page"));
    }

    @Test
    void shouldTallyRecordedVerdictsPerLane() throws Exception {
        // given, as the recorder writes them: gpt5 beat opus, gpt5 tied 4o, and one ranking opus > 4o > gpt5
        String gpt5 = generation("gpt5.reason-med", "p02");
        String opus = generation("opus.t0-8.std", "p02");
        String fourO = generation("4o.t1-0", "p02");
        record(verdict(VerdictRecorded.Kind.PAIRWISE, gpt5, opus, VerdictRecorded.Winner.A, null));
        record(verdict(VerdictRecorded.Kind.PAIRWISE, fourO, gpt5, VerdictRecorded.Winner.TIE, null));
        record(verdict(VerdictRecorded.Kind.RANKING, null, null, null, List.of(opus, fourO, gpt5)));

        // when the tally is asked for, with the prompt's count
        JsonPath tally = given().queryParam("prompt", "p02").get("/api/runs/" + RUN + "/verdicts/tally").then()
                .statusCode(200).extract().jsonPath();

        // then each lane has its wins, ties, losses and mean rank
        assertThat(tally.getInt("verdicts")).isEqualTo(3);
        assertThat(tally.getInt("pairwise")).isEqualTo(2);
        assertThat(tally.getInt("rankings")).isEqualTo(1);
        assertThat(tally.getInt("promptVerdicts")).isEqualTo(3);
        assertThat(tally.getList("lanes.laneId")).containsExactly("4o.t1-0", "gpt5.reason-med", "opus.t0-8.std");
        assertThat(tally.getMap("lanes.find { it.laneId == 'gpt5.reason-med' }"))
                .containsEntry("wins", 1).containsEntry("ties", 1).containsEntry("losses", 0)
                .containsEntry("rankings", 1).containsEntry("meanRank", 3.0f);
        assertThat(tally.getMap("lanes.find { it.laneId == 'opus.t0-8.std' }"))
                .containsEntry("wins", 0).containsEntry("losses", 1).containsEntry("meanRank", 1.0f);
        assertThat(tally.getMap("lanes.find { it.laneId == '4o.t1-0' }"))
                .containsEntry("ties", 1).containsEntry("meanRank", 2.0f);
        given().get("/api/runs/no-such-run/verdicts/tally").then().statusCode(404);
    }

    @Test
    void shouldStayReadyWhateverTheVerdictsDo() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'verdicts' }.status", is("UP"));
    }

    private VerdictRecorded verdict(VerdictRecorded.Kind kind, String a, String b, VerdictRecorded.Winner winner,
            List<String> ranking) {
        return new VerdictRecorded(UUID.randomUUID().toString(), 1, java.time.Instant.now(), RUN,
                UUID.randomUUID().toString(), "p02", kind, a, b, winner, ranking, null, true);
    }

    /** Writes the verdict's row as the recorder does (ProjectionRepository), so the tally has something to count. */
    private void record(VerdictRecorded v) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO apex_audition.verdicts (verdict_id, run_id, prompt_id, kind, generation_a, generation_b,
                    winner, ranking, reader, blind, occurred_at, event_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?) ON CONFLICT (verdict_id) DO NOTHING""")) {
            s.setString(1, v.verdictId());
            s.setString(2, v.runId());
            s.setString(3, v.promptId());
            s.setString(4, v.kind().name().toLowerCase());
            s.setString(5, v.generationA());
            s.setString(6, v.generationB());
            s.setString(7, v.winner() == null ? null : v.winner().name().toLowerCase());
            s.setArray(8, v.ranking().isEmpty() ? null : c.createArrayOf("text", v.ranking().toArray()));
            s.setString(9, v.reader());
            s.setBoolean(10, v.blind());
            s.setString(11, v.eventId());
            s.executeUpdate();
        }
        written.add(v.verdictId());
    }
}
