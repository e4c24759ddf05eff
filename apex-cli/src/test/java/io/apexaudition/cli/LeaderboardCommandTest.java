package io.apexaudition.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventJson;
import io.apexaudition.testsupport.Database;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code apex leaderboard} against a real database seeded with a planted order: four lanes, best first
 * sonnet.std, gpt5.min, opus.ext, 4o.t1 (not their alphabetical order), every pair judged in both orders on ten
 * prompts; the better lane always wins against a lane two or more places below it, and an adjacent lane wins 4 of
 * its 20 judgments against the lane above it.
 */
class LeaderboardCommandTest {
    private static final List<String> PLANTED = List.of("sonnet.std", "gpt5.min", "opus.ext", "4o.t1");
    private static final Map<String, String> COST_PER_OUTPUT = Map.of("sonnet.std", "0.05", "gpt5.min", "0.03",
            "opus.ext", "0.08", "4o.t1", "0.01");
    private static final String RUN = "aud-1";
    private static final String JUDGING = "aud-1.judge-1";
    private static Database db;
    private static Seed seed;

    @BeforeAll
    static void seedThePlantedOrder() {
        db = CliHarness.database();
        seed = new Seed(db);
        seed.run(RUN, "completed", 40).run(JUDGING, "completed", 120);
        for (int p = 1; p <= 10; p++) {
            String prompt = String.format("p%02d", p);
            for (String lane : PLANTED) {
                seed.output(RUN, "g-" + lane + "-" + prompt, lane, prompt, 1, "words ".repeat(100 + 10 * p),
                        COST_PER_OUTPUT.get(lane));
            }
            for (int better = 0; better < PLANTED.size(); better++) {
                for (int worse = better + 1; worse < PLANTED.size(); worse++) {
                    for (int order = 0; order < 2; order++) {
                        boolean upset = worse - better == 1 && (p + order) % 4 == 0;
                        String winner = PLANTED.get(upset ? worse : better);
                        String a = PLANTED.get(order == 0 ? better : worse);
                        String b = PLANTED.get(order == 0 ? worse : better);
                        seed.pairwise(JUDGING, RUN, "judge.4o", prompt, a, b, winner.equals(a) ? "A" : "B",
                                worse - better);
                        seed.generation(JUDGING, "judge.4o", prompt, "completed", "0.001");
                    }
                }
            }
        }
        // rubric scores for the best lane on three prompts: voice 8, 9, 7 -> mean 8; imagery 6 throughout
        seed.rubric(JUDGING, RUN, "judge.4o", "p01", "sonnet.std", "{\"voice\": 8, \"imagery\": 6}")
                .rubric(JUDGING, RUN, "judge.4o", "p02", "sonnet.std", "{\"voice\": 9, \"imagery\": 6}")
                .rubric(JUDGING, RUN, "judge.4o", "p03", "sonnet.std", "{\"voice\": 7, \"imagery\": 6}");
    }

    @Test
    void shouldPrintThePlantedOrderWithAnIntervalPerLaneAsATable() {
        // when
        CliHarness.Result result = CliHarness.apex("leaderboard", RUN);

        // then the ranking section lists the lanes in the planted order, each with a signed [lo, hi] interval
        assertThat(result.exit()).as(result.err()).isZero();
        String ranking = result.out().substring(0, result.out().indexOf("Rubric means"));
        List<String> rows = ranking.lines().filter(l -> l.matches("\\s+\\d+\\s+.*")).toList();
        assertThat(rows).hasSize(4);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i)).contains(PLANTED.get(i))
                    .containsPattern("\\[[+-]\\d+\\.\\d, [+-]\\d+\\.\\d]");
        }
        assertThat(rows.get(0).trim()).startsWith("1 ");
        assertThat(result.out()).contains("Rubric means per criterion", "Writing diagnostics", "Win share",
                "Judging cost, apart: $0.1200", "Generation cost (run aud-1): $1.7000");
    }

    @Test
    void shouldWriteOneCsvRowPerLaneWithTheRatingInsideItsInterval() {
        CliHarness.Result result = CliHarness.apex("leaderboard", RUN, "--format", "csv");

        assertThat(result.exit()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        assertThat(header).startsWith("rank", "lane", "rating", "rating_lo", "rating_hi", "wins", "losses", "ties");
        assertThat(lines).hasSize(5);
        for (int i = 1; i < lines.size(); i++) {
            Map<String, String> row = row(header, lines.get(i));
            assertThat(row.get("rank")).isEqualTo(Integer.toString(i));
            assertThat(row.get("lane")).isEqualTo(PLANTED.get(i - 1));
            double rating = Double.parseDouble(row.get("rating"));
            assertThat(Double.parseDouble(row.get("rating_lo"))).isLessThan(rating);
            assertThat(Double.parseDouble(row.get("rating_hi"))).isGreaterThan(rating);
            assertThat(Integer.parseInt(row.get("wins")) + Integer.parseInt(row.get("losses"))).isEqualTo(60);
            assertThat(row.get("outputs")).isEqualTo("10");
        }
        // the best lane: 10 outputs at $0.05, its rubric voice mean 8 over three prompts
        Map<String, String> best = row(header, lines.get(1));
        assertThat(best.get("cost_usd")).isEqualTo("0.500000");
        assertThat(best.get("rubric_voice")).isEqualTo("8.000");
        assertThat(Double.parseDouble(best.get("rubric_voice_lo"))).isLessThan(8.0);
        // the lowest-rated lane has no rating points above itself to price
        assertThat(row(header, lines.get(4)).get("cost_per_100_points")).isEmpty();
    }

    @Test
    void shouldGiveTheWinMarginMatrixCostsAndJudgesAsJson() throws Exception {
        CliHarness.Result result = CliHarness.apex("leaderboard", RUN, "--format", "json");

        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode json = EventJson.mapper().readTree(result.out());
        assertThat(json.path("rankedBy").asText()).isEqualTo("rating");
        List<String> lanes = new ArrayList<>();
        json.path("lanes").forEach(l -> lanes.add(l.path("lane").asText()));
        assertThat(lanes).containsExactlyElementsOf(PLANTED);
        json.path("lanes").forEach(l -> assertThat(l.path("ratingLower").asDouble())
                .isLessThan(l.path("rating").asDouble()));
        // the best lane never loses to the worst (margin 3 each time); it wins 16 of 20 against the next one
        assertThat(cell(json, "sonnet.std", "4o.t1").path("winShare").asDouble()).isEqualTo(1.0);
        assertThat(cell(json, "sonnet.std", "4o.t1").path("meanMargin").asDouble()).isEqualTo(3.0);
        assertThat(cell(json, "sonnet.std", "gpt5.min").path("winShare").asDouble()).isCloseTo(0.8, within(1e-9));
        assertThat(cell(json, "sonnet.std", "gpt5.min").path("meanMargin").asDouble()).isCloseTo(0.6, within(1e-9));
        assertThat(cell(json, "gpt5.min", "sonnet.std").path("meanMargin").asDouble()).isCloseTo(-0.6, within(1e-9));
        // judging cost apart from generation cost: 120 judge requests at $0.001; 4 lanes x 10 outputs
        assertThat(json.path("costs").path("judgingUsd").decimalValue()).isEqualByComparingTo("0.12");
        assertThat(json.path("costs").path("judgingByJudge").path("judge.4o").decimalValue())
                .isEqualByComparingTo("0.12");
        assertThat(json.path("costs").path("generationUsd").decimalValue()).isEqualByComparingTo("1.70");
        // one judge, every pair in both orders: 60 pairs, the upsets are the disagreements
        assertThat(json.path("positionBias").path("pairsInBothOrders").asInt()).isEqualTo(60);
        assertThat(json.path("judges").get(0).path("judge").asText()).isEqualTo("judge.4o");
        assertThat(json.path("judges").get(0).path("pairwise").asInt()).isEqualTo(120);
    }

    @Test
    void shouldCountThePeoplesVerdictsAsTheJudgeHuman() throws Exception {
        // given the viewer's verdicts table (recorder migration V6) with a pairwise verdict and a ranking on a run
        String run = "aud-human";
        seed.run(run, "completed", 3)
                .output(run, "h-a", "sonnet.std", "p01", 1, "one", "0.01")
                .output(run, "h-b", "4o.t1", "p01", 1, "two", "0.01")
                .output(run, "h-c", "opus.ext", "p01", 1, "three", "0.01");
        seed.sql("""
                CREATE TABLE IF NOT EXISTS apex_audition.verdicts (
                    verdict_id text PRIMARY KEY, run_id text NOT NULL, prompt_id text NOT NULL, kind text NOT NULL,
                    generation_a text, generation_b text, winner text, ranking text[], reader text,
                    blind boolean NOT NULL, occurred_at timestamptz NOT NULL, event_id text NOT NULL)""");
        seed.sql("INSERT INTO apex_audition.verdicts VALUES ('v1', ?, 'p01', 'pairwise', 'h-b', 'h-a', 'b', NULL, "
                + "'ada', true, now(), 'e1')", run);
        seed.sql("INSERT INTO apex_audition.verdicts VALUES ('v2', ?, 'p01', 'ranking', NULL, NULL, NULL, "
                + "'{h-a,h-c,h-b}', 'ada', true, now(), 'e2')", run);

        // when
        CliHarness.Result result = CliHarness.apex("leaderboard", run, "--format", "json");

        // then the pairwise verdict and the ranking's three pairs are the human's; sonnet.std won all four
        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode json = EventJson.mapper().readTree(result.out());
        assertThat(json.path("judges").get(0).path("judge").asText()).isEqualTo("human");
        assertThat(json.path("judges").get(0).path("pairwise").asInt()).isEqualTo(4);
        assertThat(json.path("lanes").get(0).path("lane").asText()).isEqualTo("sonnet.std");
        assertThat(json.path("lanes").get(0).path("wins").asInt()).isEqualTo(3);
        // only the pairwise verdict had a presentation order
        assertThat(json.path("judges").get(0).path("positionBias").path("decisive").asInt()).isEqualTo(1);
    }

    @Test
    void shouldSayHowToJudgeARunThatHasNoJudgments() {
        seed.run("aud-unjudged", "completed", 1).output("aud-unjudged", "u-1", "4o.t1", "p01", 1, "text", "0.01");

        CliHarness.Result result = CliHarness.apex("leaderboard", "aud-unjudged");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("has not been judged", "apex judge aud-unjudged --judge-lane judge.4o",
                "--pairwise");
    }

    @Test
    void shouldNameAnUnknownRun() {
        CliHarness.Result result = CliHarness.apex("leaderboard", "no-such-run");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("no run 'no-such-run'", "apex status no-such-run");
    }

    @Test
    void shouldReadOneJudgingPassWhenGivenAJudgingRunId() {
        // when the judging run's id is given instead of the judged run's
        CliHarness.Result result = CliHarness.apex("leaderboard", JUDGING, "--format", "csv");

        // then it is the leaderboard of the judged run through that pass
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().lines().skip(1).map(l -> l.split(",")[1]).toList()).containsExactlyElementsOf(PLANTED);
    }

    private static JsonNode cell(JsonNode json, String lane, String opponent) {
        for (JsonNode cell : json.path("matrix")) {
            if (cell.path("lane").asText().equals(lane) && cell.path("opponent").asText().equals(opponent)) {
                return cell;
            }
        }
        throw new AssertionError("no cell " + lane + " vs " + opponent + " in " + json.path("matrix"));
    }

    private static Map<String, String> row(List<String> header, String line) {
        String[] cells = line.split(",", -1);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            row.put(header.get(i), cells[i]);
        }
        return row;
    }
}
