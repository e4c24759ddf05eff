package io.apexaudition.recorder;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.ApexInfraResource;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.apexaudition.recorder.JudgeEvents.answered;
import static io.apexaudition.recorder.JudgeEvents.judgeRequest;
import static io.apexaudition.recorder.JudgeEvents.pairwise;
import static io.apexaudition.recorder.JudgeEvents.rubric;
import static io.apexaudition.recorder.JudgeEvents.submitted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recorder's side of judging (issue 17, docs/judging.md): judge requests and their answers become
 * {@code judgments} rows, whichever arrives first; an answer that cannot be read ends its generation in a retryable
 * error with the raw text kept; ordinary outputs get their writing diagnostics. Real Kafka, real Postgres.
 */
@QuarkusTest
@QuarkusTestResource(ApexInfraResource.class)
class JudgmentsRecordingTest {
    private static final String TOKEN = "test-admin-token";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PAIRWISE_ANSWER = "Having read both pieces:\n```json\n{\"winner\": \"B\", "
            + "\"margin\": 2, \"rationale\": \"B's images carry the piece\"}\n```";
    private static final String GARBAGE = "I liked both of them very much, thank you.";

    @Inject
    DataSource dataSource;

    @Test
    void shouldRecordAPairwiseVerdictWithWinnerAndMarginWhicheverOfRequestAndAnswerArrivesFirst() throws Exception {
        // given a pairwise judge request and its answer, published request first for one and answer first for another
        GenerationRequested requestFirst = judgeRequest("run-judge-1", "pw-request-first", 1,
                pairwise("run-src-1", "p01"));
        GenerationRequested answerFirst = judgeRequest("run-judge-1", "pw-answer-first", 1,
                pairwise("run-src-1", "p02"));
        publish(requestFirst);
        awaitJudgment(requestFirst, "pending");
        publish(answered(requestFirst, 1, PAIRWISE_ANSWER), answered(answerFirst, 1, PAIRWISE_ANSWER));
        await().atMost(WAIT).until(() -> "completed".equals(generationStatus(answerFirst)));
        assertThat(judgment(answerFirst)).as("no request yet, so no judgment").isNull();
        publish(answerFirst);

        // when both are recorded
        awaitJudgment(requestFirst, "judged");
        awaitJudgment(answerFirst, "judged");

        // then each is the same verdict, with who was judged from the request
        for (GenerationRequested r : List.of(requestFirst, answerFirst)) {
            String prompt = r.judging().promptId();
            assertThat(judgment(r)).isEqualTo("run-judge-1|run-src-1|" + JudgeEvents.JUDGE_LANE + "|pairwise|"
                    + prompt + "|gen-a-" + prompt + "|4o.t0-6|gen-b-" + prompt
                    + "|sonnet.t0-8.std|{}|null|null|judged|B|2|null|null|null|1");
            assertThat(generationStatus(r)).isEqualTo("completed");
        }
    }

    @Test
    void shouldRecordARubricAnswerAsAScorePerCriterionAndTheRationale() throws Exception {
        // given a rubric judge request and an answer scoring every criterion, one as a string and one as a fraction
        GenerationRequested request = judgeRequest("run-judge-2", "rubric-1", 1, rubric("run-src-2", "p03"));
        publish(request, answered(request, 1, "{\"scores\": {\"imagery\": 8, \"Voice\": \"7\", \"structure\": 6.5}, "
                + "\"rationale\": \"Vivid, if loose at the end.\"}"));

        // when it is recorded
        awaitJudgment(request, "judged");

        // then the scores are keyed by the rubric's criteria, with the rationale and the scale asked for
        assertThat(judgment(request)).isEqualTo("run-judge-2|run-src-2|" + JudgeEvents.JUDGE_LANE + "|rubric|p03|"
                + "gen-a-p03|4o.t0-6|null|null|{\"imagery\",\"voice\",\"structure\"}|1|10|judged|null|null|"
                + "{\"voice\": 7, \"imagery\": 8, \"structure\": 6.5}|Vivid, if loose at the end.|null|1");
    }

    @Test
    void shouldEndAnUnreadableAnswerInARetryableErrorKeepingTheRawTextThenTakeTheRetrysAnswer() throws Exception {
        // given a pairwise judge request answered with prose and no verdict
        GenerationRequested first = judgeRequest("run-judge-3", "pw-garbage", 1, pairwise("run-src-3", "p04"));
        publish(first, submitted(first, 1), answered(first, 1, GARBAGE));

        // when it is recorded
        awaitJudgment(first, "unparseable");

        // then the judgment names the problem, and the generation is an error apex retry selects, the text kept
        assertThat(judgment(first)).endsWith("|unparseable|null|null|null|null|no JSON object in the answer (no '{' "
                + "in it)|1");
        assertThat(row("SELECT status, error_kind, error_message, output_text, attempt FROM apex_audition.generations "
                + "WHERE id = ?", first.generationId())).isEqualTo("error|unparseable_judgment|no JSON object in the "
                + "answer (no '{' in it)|" + GARBAGE + "|1");
        assertThat(row("SELECT count(*) FROM apex_audition.generations WHERE run_id = 'run-judge-3' AND status = "
                + "'error' AND error_kind = ANY (?)", (Object) retryableKinds())).isEqualTo("1");

        // and when the retry's attempt 2 is requested (as RetryPlanner writes it, without the subject) and answered
        GenerationRequested second = new GenerationRequested("retry-" + first.eventId(), 1,
                first.occurredAt().plusSeconds(100), first.runId(), first.generationId(), 2, first.conditionId(),
                first.conditionSlug(), first.provider(), first.model(), first.apiModelId(), first.parameters(),
                first.promptId(), 1, first.promptText(), null, 1, first.mode(), false, false, true, 1);
        publish(second);
        awaitJudgment(first, "pending");
        publish(submitted(first, 2), answered(first, 2, "{\"winner\": \"tie\"}"));

        // then the second answer replaces the first, and the generation is completed
        awaitJudgment(first, "judged");
        assertThat(judgment(first)).endsWith("|judged|tie|0|null|null|null|2");
        assertThat(row("SELECT status, error_kind, error_message, output_text, attempt FROM apex_audition.generations "
                + "WHERE id = ?", first.generationId())).isEqualTo("completed|null|null|{\"winner\": \"tie\"}|2");
        // the attempts' history keeps what the provider returned each time
        assertThat(row("SELECT string_agg(attempt || ':' || status, ',' ORDER BY attempt) FROM "
                + "apex_audition.generation_attempts WHERE generation_id = ?", first.generationId()))
                .isEqualTo("1:completed,2:completed");
    }

    @Test
    void shouldStoreTheWritingDiagnosticsOfAnOrdinaryOutputAndNoneForAJudgesAnswer() throws Exception {
        // given a prompt asking for about 20 words, a request of it and an output of 22 words that repeats itself
        GenerationRequested request = JudgeEvents.request("run-diag-1", "p-diag");
        String output = "Rain on the roof, rain on the roof, rain on the roof again and again, the gutters sing of "
                + "it all night.";
        GenerationRequested refused = JudgeEvents.request("run-diag-1", "p-diag-none");
        GenerationRequested judge = judgeRequest("run-diag-1", "pw-diag", 1, pairwise("run-src-1", "p01"));
        publish(JudgeEvents.prompt("p-diag", "Write a poem of about 20 words on rain."), request,
                answered(request, 1, output), refused, answered(refused, 1, "I'm sorry, but I can't write that."),
                answered(judge, 1, PAIRWISE_ANSWER));

        // when they are recorded
        await().atMost(WAIT).until(() -> !"null".equals(row("SELECT words FROM apex_audition.generations "
                + "WHERE id = ?", refused.generationId())));
        await().atMost(WAIT).until(() -> !"null".equals(row("SELECT words FROM apex_audition.generations "
                + "WHERE id = ?", judge.generationId())));
        publish(judge);
        awaitJudgment(judge, "judged");

        // then words, the ratio to the length asked for, the repetition and the refusal are stored
        await().atMost(WAIT).untilAsserted(() -> assertThat(row("SELECT words, round(length_ratio::numeric, 3), "
                + "round(repetition::numeric, 3), refusal FROM apex_audition.generations WHERE id = ?",
                request.generationId())).isEqualTo("22|1.100|0.300|f"));
        // a prompt naming no length has no ratio (p-diag-none was never ingested); a refusal is flagged
        assertThat(row("SELECT words, length_ratio, refusal FROM apex_audition.generations WHERE id = ?",
                refused.generationId())).isEqualTo("7|null|t");
        // and a judge's answer, measured while it looked ordinary, loses its diagnostics once its request arrives
        assertThat(row("SELECT words, length_ratio, repetition, refusal FROM apex_audition.generations WHERE id = ?",
                judge.generationId())).isEqualTo("null|null|null|null");
    }

    @Test
    void shouldRebuildIdenticalJudgmentsAndDiagnostics() throws Exception {
        // given judgments of every kind and state, and measured outputs
        GenerationRequested pw = judgeRequest("run-judge-9", "rb-pairwise", 1, pairwise("run-src-9", "p01"));
        GenerationRequested rb = judgeRequest("run-judge-9", "rb-rubric", 1, rubric("run-src-9", "p02"));
        GenerationRequested bad = judgeRequest("run-judge-9", "rb-garbage", 1, rubric("run-src-9", "p03"));
        GenerationRequested waiting = judgeRequest("run-judge-9", "rb-pending", 1, pairwise("run-src-9", "p04"));
        publish(JudgeEvents.prompt("p-rebuild", "In 100 to 140 words, describe a harbour at dawn."));
        GenerationRequested ordinary = JudgeEvents.request("run-judge-9-src", "p-rebuild");
        publish(pw, submitted(pw, 1), answered(pw, 1, PAIRWISE_ANSWER), rb, answered(rb, 1,
                "{\"imagery\": 9, \"voice\": 8, \"structure\": 7}"), answered(bad, 1, "{\"imagery\": 11}"), bad,
                waiting, submitted(waiting, 1), answered(ordinary, 1, "Gulls, grey water, a rope slapping."),
                ordinary);
        awaitJudgment(bad, "unparseable");
        awaitJudgment(pw, "judged");
        awaitJudgment(rb, "judged");
        awaitJudgment(waiting, "pending");
        await().atMost(WAIT).until(() -> "submitted".equals(generationStatus(waiting)));
        await().atMost(WAIT).until(() -> !"null".equals(row("SELECT length_ratio FROM apex_audition.generations "
                + "WHERE id = ?", ordinary.generationId())));
        List<String> before = snapshot();
        // (a verdict tampered with and a row no event backs: a rebuild must derive the one and drop the other)
        execute("UPDATE apex_audition.judgments SET winner = 'A' WHERE generation_id = ?", pw.generationId());
        execute("INSERT INTO apex_audition.judgments (generation_id, run_id, source_run_id, judge_lane_id, kind, "
                + "prompt_id, generation_a, lane_a, status, updated_at) VALUES ('stray', 'run-judge-9', 'run-src-9', "
                + "'x', 'rubric', 'p01', 'g', 'l', 'pending', now())");
        assertThat(snapshot()).isNotEqualTo(before);

        // when the tables are emptied and every topic replayed
        given().header("Authorization", "Bearer " + TOKEN).post("/api/rebuild").then().statusCode(200);

        // then the judgments and the generations (diagnostics, statuses, errors) are the same rows
        await().atMost(WAIT).untilAsserted(() -> assertThat(snapshot()).isEqualTo(before));
        assertThat(before).hasSize(9);
        assertThat(row("SELECT problem FROM apex_audition.judgments WHERE generation_id = ?", bad.generationId()))
                .isEqualTo("rubric answer: \"imagery\" scored 11, outside the scale 1..10; no score for \"voice\"; "
                        + "no score for \"structure\"");
    }

    // ---- helpers ----

    /** Publishes the events in order, each to its topic. */
    private static void publish(ApexEvent... events) {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            for (ApexEvent event : events) {
                String topic = event instanceof GenerationRequested r ? Topics.generationRequests(r.provider()).name()
                        : event instanceof GenerationCompleted ? Topics.GENERATION_RESULTS.name()
                        : event instanceof io.apexaudition.events.BatchSubmitted ? Topics.BATCHES.name()
                        : Topics.PROMPTS.name();
                kafka.publish(topic, event);
            }
        }
    }

    private void awaitJudgment(GenerationRequested r, String status) {
        await().atMost(WAIT).until(() -> status.equals(row("SELECT status FROM apex_audition.judgments "
                + "WHERE generation_id = ?", r.generationId())));
    }

    private String judgment(GenerationRequested r) throws Exception {
        return row("SELECT run_id, source_run_id, judge_lane_id, kind, prompt_id, generation_a, lane_a, generation_b, "
                + "lane_b, criteria, scale_min, scale_max, status, winner, margin, scores, rationale, problem, attempt "
                + "FROM apex_audition.judgments WHERE generation_id = ?", r.generationId());
    }

    private String generationStatus(GenerationRequested r) throws Exception {
        return row("SELECT status FROM apex_audition.generations WHERE id = ?", r.generationId());
    }

    private List<String> snapshot() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("""
                SELECT t::text FROM apex_audition.judgments t WHERE run_id = 'run-judge-9'
                UNION ALL
                SELECT (id, status, attempt, error_kind, error_message, output_text, words, length_ratio, repetition,
                        refusal, updated_at)::text
                FROM apex_audition.generations WHERE run_id IN ('run-judge-9', 'run-judge-9-src')
                ORDER BY 1""");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private void execute(String sql, Object... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            p.executeUpdate();
        }
    }

    /** The first row of a query, its columns joined with '|' (null as "null"); null when there is no row. */
    private String row(String sql, Object... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i] instanceof String[] array ? c.createArrayOf("text", array) : params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                return b.toString();
            }
        }
    }

    private static String[] retryableKinds() {
        return java.util.Arrays.stream(io.apexaudition.events.ErrorKind.values())
                .filter(io.apexaudition.events.ErrorKind::retryable)
                .map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);
    }
}
