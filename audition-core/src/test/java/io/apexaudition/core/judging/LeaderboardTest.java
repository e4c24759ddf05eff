package io.apexaudition.core.judging;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LeaderboardTest {
    private static final BradleyTerry.Options OPTIONS = new BradleyTerry.Options(BradleyTerry.DEFAULT_PRIOR, 200, 0.95);
    /** Four lanes 1.2 log-strengths apart: best-d the best, worst-a the worst. */
    private static final JudgeSimulation PLANTED = new JudgeSimulation(
            Map.of("worst-a", 0.0, "low-b", 1.2, "high-c", 2.4, "best-d", 3.6), 0.3, 0.8, 0.05);

    @Test
    void shouldRankThePlantedOrderWithAnIntervalAroundEveryRating() {
        // given a noisy, position-biased judge on 21 prompts, every pair in both orders
        List<Judgment> judgments = PLANTED.judge("judge.4o", 21, 3, true, 7L);

        // when
        Leaderboard board = Leaderboard.build(input(judgments, List.of(), List.of()), OPTIONS, "run-1");

        // then best first, ranked 1..4, each rating inside its own interval, the ends told apart
        assertThat(board.rankedBy()).isEqualTo(Leaderboard.RankedBy.RATING);
        assertThat(board.rows()).extracting(Leaderboard.Row::lane)
                .containsExactly("best-d", "high-c", "low-b", "worst-a");
        assertThat(board.rows()).extracting(Leaderboard.Row::rank).containsExactly(1, 2, 3, 4);
        for (Leaderboard.Row row : board.rows()) {
            assertThat(row.rating().lower()).isNotNull().isLessThan(row.rating().rating());
            assertThat(row.rating().upper()).isGreaterThan(row.rating().rating());
        }
        assertThat(board.rows().get(0).rating().separatedFrom(board.rows().get(3).rating())).isTrue();
    }

    @Test
    void shouldGiveTheSameLeaderboardForTheSameSeed() {
        List<Judgment> judgments = PLANTED.judge("judge.4o", 10, 3, true, 11L);

        Leaderboard once = Leaderboard.build(input(judgments, List.of(), List.of()), OPTIONS, "run-1");
        Leaderboard again = Leaderboard.build(input(judgments, List.of(), List.of()), OPTIONS, "run-1");

        assertThat(again).isEqualTo(once);
    }

    @Test
    void shouldCountTheRecordAndTheWinMarginMatrixFromEveryJudgmentBetweenTwoLanes() {
        // given x and y: on p1 x wins by 2 shown first, y wins by 1 shown first; on p2 a tie; x beats z by 3 on p1
        List<Judgment> judgments = List.of(
                new Judgment("p1", "judge.4o", "x", "y", Winner.A, 2),
                new Judgment("p1", "judge.4o", "y", "x", Winner.A, 1),
                new Judgment("p2", "judge.4o", "x", "y", Winner.TIE, 0),
                new Judgment("p1", "judge.4o", "z", "x", Winner.B, 3));

        // when
        Leaderboard board = Leaderboard.build(input(judgments, List.of(), List.of()), OPTIONS, "s");

        // then x: 2 wins, 1 loss, 1 tie; x vs y: 1-1-1, share 1/2, margin (2 - 1 + 0) / 3; y vs x the mirror
        LaneRating x = board.row("x").orElseThrow().rating();
        assertThat(List.of(x.wins(), x.losses(), x.ties())).containsExactly(2, 1, 1);
        Leaderboard.Cell xy = board.cell("x", "y").orElseThrow();
        assertThat(xy.comparisons()).isEqualTo(3);
        assertThat(xy.winShare()).isCloseTo(0.5, within(1e-12));
        assertThat(xy.meanMargin()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(board.cell("y", "x").orElseThrow().meanMargin()).isCloseTo(-1 / 3.0, within(1e-12));
        assertThat(board.cell("x", "z").orElseThrow())
                .extracting(Leaderboard.Cell::winShare, Leaderboard.Cell::meanMargin).containsExactly(1.0, 3.0);
        assertThat(board.cell("y", "z")).isEmpty();
        assertThat(board.cell("x", "x")).isEmpty();
    }

    @Test
    void shouldGiveRubricMeansPerCriterionWithATIntervalAndAnOverallMean() {
        // given lane x scored 6, 7, 8 for voice and 4, 4, 4 for imagery on three prompts
        List<RubricScore> scores = List.of(
                new RubricScore("p1", "judge.4o", "x", Map.of("voice", 6.0, "imagery", 4.0)),
                new RubricScore("p2", "judge.4o", "x", Map.of("voice", 7.0, "imagery", 4.0)),
                new RubricScore("p3", "judge.4o", "x", Map.of("voice", 8.0, "imagery", 4.0)));

        // when
        Leaderboard board = Leaderboard.build(input(List.of(), scores, List.of("voice", "imagery")), OPTIONS, "s");

        // then voice: mean 7, sd 1, t(0.975, 2) = 4.302653 -> 7 -/+ 4.302653 / sqrt(3); imagery has no spread;
        // overall per prompt 5, 5.5, 6 -> mean 5.5, sd 0.5
        Leaderboard.Row row = board.row("x").orElseThrow();
        double half = 4.302653 / Math.sqrt(3);
        assertThat(board.criteria()).containsExactly("voice", "imagery");
        assertThat(row.rubric().get("voice").mean()).isCloseTo(7.0, within(1e-9));
        assertThat(row.rubric().get("voice").lower()).isCloseTo(7 - half, within(1e-5));
        assertThat(row.rubric().get("voice").upper()).isCloseTo(7 + half, within(1e-5));
        assertThat(row.rubric().get("imagery").lower()).isCloseTo(4.0, within(1e-9));
        assertThat(row.overall().mean()).isCloseTo(5.5, within(1e-9));
        assertThat(row.overall().upper()).isCloseTo(5.5 + half / 2, within(1e-5));
    }

    @Test
    void shouldRankByTheRubricWhenNoLaneWasJudgedPairwiseAndLeaveUnjudgedLanesUnranked() {
        List<RubricScore> scores = List.of(
                new RubricScore("p1", "judge.4o", "weak", Map.of("voice", 3.0)),
                new RubricScore("p1", "judge.4o", "strong", Map.of("voice", 9.0)));
        Leaderboard.Input input = new Leaderboard.Input(List.of(), List.of(), scores, List.of(),
                Map.of("silent", new Leaderboard.Diagnostics(0, null, null, null, 0)), Map.of(), Map.of());

        Leaderboard board = Leaderboard.build(input, OPTIONS, "s");

        assertThat(board.rankedBy()).isEqualTo(Leaderboard.RankedBy.RUBRIC);
        assertThat(board.rows()).extracting(Leaderboard.Row::lane).containsExactly("strong", "weak", "silent");
        assertThat(board.rows()).extracting(Leaderboard.Row::rank).containsExactly(1, 2, null);
        assertThat(board.matrix()).isEmpty();
    }

    @Test
    void shouldPriceEveryHundredRatingPointsAboveTheLowestLane() {
        // given three lanes judged pairwise, with what their outputs cost
        List<Judgment> judgments = PLANTED.judge("judge.4o", 12, 3, true, 5L).stream()
                .filter(j -> !j.laneA().equals("worst-a") && !j.laneB().equals("worst-a")).toList();
        Map<String, BigDecimal> cost = Map.of("best-d", new BigDecimal("3.00"), "high-c", new BigDecimal("1.50"),
                "low-b", new BigDecimal("0.40"));
        Leaderboard.Input input = new Leaderboard.Input(judgments, List.of(), List.of(), List.of(), Map.of(), cost,
                Map.of("judge.4o", new BigDecimal("0.25"), "judge.sonnet", new BigDecimal("0.50")));

        // when
        Leaderboard board = Leaderboard.build(input, OPTIONS, "s");

        // then cost * 100 / (rating - lowest rating); none for the lowest lane; judging cost apart from generation
        double lowest = board.row("low-b").orElseThrow().rating().rating();
        double best = board.row("best-d").orElseThrow().rating().rating();
        BigDecimal expected = new BigDecimal("300.00").divide(BigDecimal.valueOf(best - lowest), 6,
                RoundingMode.HALF_UP);
        assertThat(board.row("best-d").orElseThrow().costPer100Points()).isEqualByComparingTo(expected);
        assertThat(board.row("low-b").orElseThrow().costPer100Points()).isNull();
        assertThat(board.costs().generationUsd()).isEqualByComparingTo("4.90");
        assertThat(board.costs().judgingUsd()).isEqualByComparingTo("0.75");
        assertThat(board.costs().judgingByJudge()).containsOnlyKeys("judge.4o", "judge.sonnet");
    }

    @Test
    void shouldReportPositionBiasPerJudgeAndTheAgreementOfEveryTwoJudgesWithTheHumanAsAJudge() {
        // given two judges that agree on p1 x/y and disagree on p2 x/y; judge.4o always picks position A (bias);
        // and a person's ranking on p1 (x above y), which has no presentation order
        List<Judgment> judgments = new ArrayList<>(List.of(
                new Judgment("p1", "judge.4o", "x", "y", Winner.A, 1),
                new Judgment("p1", "judge.4o", "y", "x", Winner.A, 1),
                new Judgment("p2", "judge.4o", "x", "y", Winner.A, 1),
                new Judgment("p2", "judge.4o", "y", "x", Winner.A, 1),
                new Judgment("p1", "judge.sonnet", "x", "y", Winner.A, 2),
                new Judgment("p1", "judge.sonnet", "y", "x", Winner.B, 2),
                new Judgment("p2", "judge.sonnet", "x", "y", Winner.B, 2),
                new Judgment("p2", "judge.sonnet", "y", "x", Winner.A, 2)));
        List<Judgment> ranking = List.of(new Judgment("p1", "human", "x", "y", Winner.A, 1));
        Leaderboard.Input input = new Leaderboard.Input(judgments, ranking, List.of(), List.of(), Map.of(),
                Map.of(), Map.of());

        // when
        Leaderboard board = Leaderboard.build(input, OPTIONS, "s");

        // then judge.4o's orders always disagree (its verdict is a tie on both pairs), judge.sonnet's never do
        Map<String, Leaderboard.JudgeSummary> judges = new java.util.HashMap<>();
        board.judges().forEach(j -> judges.put(j.judge(), j));
        assertThat(judges.get("judge.4o").positionBias().disagreementRate()).isEqualTo(1.0);
        assertThat(judges.get("judge.4o").positionBias().positionAWinRate()).isEqualTo(1.0);
        assertThat(judges.get("judge.sonnet").positionBias().disagreementRate()).isEqualTo(0.0);
        assertThat(judges.get("human").pairwise()).isEqualTo(1);
        assertThat(judges.get("human").positionBias()).isNull();
        assertThat(board.positionBias().pairsInBothOrders()).isEqualTo(4);
        assertThat(board.positionBias().disagreements()).isEqualTo(2);
        // and agreement: judge.4o ties both pairs, judge.sonnet says x then y, the human x on p1 only
        assertThat(board.agreements()).extracting(JudgeAgreement::judge, JudgeAgreement::otherJudge,
                        JudgeAgreement::pairs, JudgeAgreement::agreements)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("human", "judge.4o", 1, 0),
                        org.assertj.core.groups.Tuple.tuple("human", "judge.sonnet", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("judge.4o", "judge.sonnet", 2, 0));
    }

    private static Leaderboard.Input input(List<Judgment> judgments, List<RubricScore> scores, List<String> criteria) {
        return new Leaderboard.Input(judgments, List.of(), scores, criteria, Map.of(), Map.of(), Map.of());
    }
}
