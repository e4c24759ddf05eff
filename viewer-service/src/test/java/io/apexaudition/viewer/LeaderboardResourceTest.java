package io.apexaudition.viewer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * A run's leaderboard through the API, over seed-judgments.sql's run-stories: four lanes with a planted order, judged
 * pairwise in both orders by judge.4o (with a planted position bias on neighbours), on one prompt by judge.sonnet too,
 * and on the rubric by judge.sonnet; each output with its writing diagnostics and cost.
 */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class LeaderboardResourceTest {
    private static final String RUN = "run-stories";
    private static final List<String> PLANTED = List.of("opus.t0-8.std", "gpt5.reason-med", "sonnet.t0-8.std",
            "4o.t1-0");

    @Inject
    DataSource dataSource;

    private static JsonPath board(String query) {
        // non-integer numbers as doubles (a float would blur the money and the shares)
        return given().get("/api/runs/" + RUN + "/leaderboard" + query).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    @Test
    void shouldRankThePlantedOrderWithOrderedIntervalsFromEveryPass() {
        JsonPath b = board("?human=false");
        assertThat(b.getString("runId")).isEqualTo(RUN);
        assertThat(b.getList("judgingRuns")).containsExactly("run-stories.judge-1", "run-stories.judge-2",
                "run-stories.judge-3");
        assertThat(b.getList("passes")).isEqualTo(b.getList("judgingRuns"));
        assertThat(b.getBoolean("judged")).isTrue();
        assertThat(b.getString("message")).isNull();
        assertThat(b.getInt("prompts")).isEqualTo(6);
        assertThat(b.getInt("resamples")).isEqualTo(1000);
        assertThat(b.getInt("judgments.judged")).isEqualTo(72 + 12 + 8);
        assertThat(b.getInt("judgments.pending")).isEqualTo(1);
        assertThat(b.getInt("judgments.unparseable")).isEqualTo(1);

        assertThat(b.getString("leaderboard.rankedBy")).isEqualTo("RATING");
        assertThat(b.getList("leaderboard.rows.lane")).isEqualTo(PLANTED);
        assertThat(b.getList("leaderboard.rows.rank")).containsExactly(1, 2, 3, 4);
        double previous = Double.MAX_VALUE;
        for (int i = 0; i < PLANTED.size(); i++) {
            String row = "leaderboard.rows[" + i + "].rating.";
            double rating = b.getDouble(row + "rating");
            assertThat(b.getDouble(row + "lower")).as("lower bound of " + PLANTED.get(i)).isLessThanOrEqualTo(rating);
            assertThat(b.getDouble(row + "upper")).as("upper bound of " + PLANTED.get(i)).isGreaterThanOrEqualTo(rating);
            assertThat(rating).isLessThan(previous);
            previous = rating;
        }
        assertThat(b.getDouble("leaderboard.rows[0].rating.lower"))
                .as("the best and the worst lane are told apart")
                .isGreaterThan(b.getDouble("leaderboard.rows[3].rating.upper"));
        // opus: 9-2-1 against gpt5 and 12-0 against the others from judge.4o, 2-0 against each from judge.sonnet
        assertThat(b.getInt("leaderboard.rows[0].rating.wins")).isEqualTo(9 + 12 + 12 + 6);
        assertThat(b.getInt("leaderboard.rows[0].rating.losses")).isEqualTo(2);
        assertThat(b.getInt("leaderboard.rows[0].rating.ties")).isEqualTo(1);

        // rubric columns: means over p01 and p02 with intervals
        assertThat(b.getList("leaderboard.criteria")).containsExactly("voice", "imagery", "structure");
        assertThat(b.getDouble("leaderboard.rows[0].overall.mean")).isCloseTo(8.5, offset(1e-9));
        assertThat(b.getDouble("leaderboard.rows[0].rubric.voice.mean")).isCloseTo(8.5, offset(1e-9));
        assertThat(b.getDouble("leaderboard.rows[0].rubric.voice.lower")).isLessThan(8.5);
        assertThat(b.getDouble("leaderboard.rows[0].rubric.structure.mean")).isCloseTo(8.0, offset(1e-9));
        assertThat(b.getDouble("leaderboard.rows[2].rubric.imagery.mean")).as("sonnet's imagery")
                .isCloseTo(8.0, offset(1e-9));
        assertThat(b.getDouble("leaderboard.rows[3].overall.mean")).isCloseTo(5.5, offset(1e-9));

        // diagnostics and costs per lane
        Map<String, Object> refusing = b.getMap("leaderboard.rows[3].diagnostics");
        assertThat(refusing).containsEntry("outputs", 6).containsEntry("refusals", 1);
        assertThat(b.getDouble("leaderboard.rows[0].diagnostics.meanWords")).isCloseTo(645.0, offset(1e-9));
        assertThat(b.getDouble("leaderboard.rows[0].diagnostics.meanRepetition")).isCloseTo(0.021, offset(1e-9));
        assertThat(b.getDouble("leaderboard.rows[0].costUsd")).isCloseTo(0.36, offset(1e-9));
        assertThat(b.getDouble("leaderboard.rows[0].costPer100Points")).isPositive();
        assertThat(b.getString("leaderboard.rows[3].costPer100Points")).as("none for the lowest lane").isNull();
        assertThat(b.getDouble("leaderboard.costs.generationUsd")).isCloseTo(0.768, offset(1e-9));
        assertThat(b.getDouble("leaderboard.costs.judgingUsd")).isCloseTo(0.0288 + 0.012 + 0.0135, offset(1e-9));
        assertThat(b.getDouble("leaderboard.costs.judgingByJudge.'judge.4o'")).isCloseTo(0.0288, offset(1e-9));

        // two pairwise judges on p01: judge.4o's upset there makes gpt5-sonnet a tie, the other five pairs agree
        assertThat(b.getList("leaderboard.agreements")).hasSize(1);
        assertThat(b.getString("leaderboard.agreements[0].judge")).isEqualTo("judge.4o");
        assertThat(b.getString("leaderboard.agreements[0].otherJudge")).isEqualTo("judge.sonnet");
        assertThat(b.getInt("leaderboard.agreements[0].pairs")).isEqualTo(6);
        assertThat(b.getInt("leaderboard.agreements[0].agreements")).isEqualTo(5);
    }

    @Test
    void shouldGiveOnePassesWinMatrixAndPositionBias() {
        JsonPath b = board("?judgingRun=run-stories.judge-1&human=false");
        assertThat(b.getList("judgingRuns")).containsExactly("run-stories.judge-1");
        assertThat(b.getString("judgingRun")).isEqualTo("run-stories.judge-1");
        assertThat(b.getList("passes")).hasSize(3);
        assertThat(b.getList("leaderboard.rows.lane")).isEqualTo(PLANTED);
        assertThat(b.getList("leaderboard.matrix")).as("every ordered pair of 4 lanes").hasSize(12);
        assertCell(b, "opus.t0-8.std", "gpt5.reason-med", 9, 2, 1, 9.5 / 12, 7.0 / 12);
        assertCell(b, "gpt5.reason-med", "opus.t0-8.std", 2, 9, 1, 2.5 / 12, -7.0 / 12);
        assertCell(b, "gpt5.reason-med", "sonnet.t0-8.std", 10, 2, 0, 10.0 / 12, 8.0 / 12);
        assertCell(b, "sonnet.t0-8.std", "4o.t1-0", 9, 2, 1, 9.5 / 12, 7.0 / 12);
        assertCell(b, "opus.t0-8.std", "4o.t1-0", 12, 0, 0, 1.0, 3.0);
        assertCell(b, "4o.t1-0", "gpt5.reason-med", 0, 12, 0, 0.0, -2.0);

        assertThat(b.getInt("leaderboard.positionBias.pairsInBothOrders")).isEqualTo(36);
        assertThat(b.getInt("leaderboard.positionBias.disagreements")).isEqualTo(8);
        assertThat(b.getInt("leaderboard.positionBias.decisive")).isEqualTo(70);
        assertThat(b.getInt("leaderboard.positionBias.positionAWins")).isEqualTo(40);
        assertThat(b.getList("leaderboard.judges.judge")).containsExactly("judge.4o");
        assertThat(b.getList("leaderboard.agreements")).isEmpty();
        assertThat(b.getDouble("leaderboard.costs.judgingUsd")).isCloseTo(0.0288, offset(1e-9));
    }

    @Test
    void shouldRankARubricOnlyPassByItsOverallMean() {
        JsonPath b = board("?judgingRun=run-stories.judge-3");
        assertThat(b.getString("leaderboard.rankedBy")).isEqualTo("RUBRIC");
        assertThat(b.getList("leaderboard.rows.lane")).isEqualTo(PLANTED);
        assertThat(b.<Number>getList("leaderboard.rows.overall.mean").stream().map(Number::doubleValue))
                .containsExactly(8.5, 7.5, 6.5, 5.5);
        assertThat(b.getList("leaderboard.rows.rating")).containsOnlyNulls();
        assertThat(b.getList("leaderboard.matrix")).isEmpty();
        assertThat(b.getInt("judgments.pending")).isEqualTo(1);
        assertThat(b.getInt("judgments.unparseable")).isEqualTo(1);
    }

    @Test
    void shouldReadAJudgingRunsIdAsItsSourceRunThroughThatPass() {
        given().get("/api/runs/run-stories.judge-2/leaderboard").then().statusCode(200)
                .body("runId", is(RUN))
                .body("judgingRuns", contains("run-stories.judge-2"))
                .body("leaderboard.judges.judge", contains("judge.sonnet"));
    }

    @Test
    void shouldCountReadersVerdictsAsTheHumanJudgeUnlessLeftOut() throws Exception {
        // a reader found 4o's piece (shown first) better than opus's on p02
        execute("INSERT INTO apex_audition.verdicts (verdict_id, run_id, prompt_id, kind, generation_a, generation_b,"
                + " winner, blind, occurred_at, event_id) VALUES ('leaderboard-human', 'run-stories', 'p02',"
                + " 'pairwise', 'run-stories/4o.t1-0/p02/1', 'run-stories/opus.t0-8.std/p02/1', 'a', true, now(),"
                + " 'leaderboard-human-event')");
        try {
            JsonPath with = board("");
            assertThat(with.getBoolean("human")).isTrue();
            assertThat(with.getInt("humanJudgments")).isEqualTo(1);
            assertThat(with.getList("leaderboard.judges.judge")).contains("human");
            assertThat(with.getInt("leaderboard.rows[3].rating.wins")).isEqualTo(2 + 1);
            assertThat(cellWins(with, "4o.t1-0", "opus.t0-8.std")).isEqualTo(1);

            JsonPath without = board("?human=false");
            assertThat(without.getBoolean("human")).isFalse();
            assertThat(without.getInt("humanJudgments")).isZero();
            assertThat(without.getList("leaderboard.judges.judge")).doesNotContain("human");
            assertThat(without.getInt("leaderboard.rows[3].rating.wins")).as("its two upsets of sonnet").isEqualTo(2);
        } finally {
            execute("DELETE FROM apex_audition.verdicts WHERE verdict_id = 'leaderboard-human'");
        }
    }

    @Test
    void shouldAnswerAnEmptyBoardWithTheJudgeCommandForARunNobodyJudged() {
        given().get("/api/runs/run-poems/leaderboard").then().statusCode(200)
                .body("runId", is("run-poems"))
                .body("judged", is(false))
                .body("judgingRuns", empty())
                .body("leaderboard.rows", empty())
                .body("leaderboard.matrix", empty())
                .body("leaderboard.rankedBy", is("NONE"))
                .body("message", containsString("has not been judged"))
                .body("command", is("apex judge run-poems --judge-lane judge.4o --pairwise --batch-mode --wait"));
    }

    @Test
    void shouldRefuseAnUnknownRunAndAPassOfAnotherRun() {
        given().get("/api/runs/no-such-run/leaderboard").then().statusCode(404)
                .body("error", containsString("no run 'no-such-run'"));
        given().get("/api/runs/run-poems/leaderboard?judgingRun=run-stories.judge-1").then().statusCode(400)
                .body("parameter", is("judgingRun"))
                .body("error", containsString("judged run run-stories, not run-poems"));
        given().get("/api/runs/run-stories/leaderboard?judgingRun=run-stories.judge-9").then().statusCode(400)
                .body("parameter", is("judgingRun"))
                .body("allowed", contains("run-stories.judge-1", "run-stories.judge-2", "run-stories.judge-3"));
        given().get("/api/runs/run-stories/leaderboard?human=maybe").then().statusCode(400)
                .body("parameter", is("human"))
                .body("allowed", contains("true", "false"))
                .body("value", is("maybe"))
                .body("error", containsString("'human'"));
    }

    private static void assertCell(JsonPath b, String lane, String opponent, int wins, int losses, int ties,
            double share, double margin) {
        Map<String, Object> cell = cell(b, lane, opponent);
        assertThat(cell).as(lane + " against " + opponent).containsEntry("wins", wins)
                .containsEntry("losses", losses).containsEntry("ties", ties)
                .containsEntry("comparisons", wins + losses + ties);
        assertThat(((Number) cell.get("winShare")).doubleValue()).isCloseTo(share, offset(1e-6));
        assertThat(((Number) cell.get("meanMargin")).doubleValue()).isCloseTo(margin, offset(1e-6));
    }

    private static int cellWins(JsonPath b, String lane, String opponent) {
        return ((Number) cell(b, lane, opponent).get("wins")).intValue();
    }

    private static Map<String, Object> cell(JsonPath b, String lane, String opponent) {
        List<Map<String, Object>> cells = b.getList("leaderboard.matrix");
        return cells.stream().filter(c -> lane.equals(c.get("lane")) && opponent.equals(c.get("opponent")))
                .findFirst().orElseThrow(() -> new AssertionError("no cell " + lane + " against " + opponent));
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
