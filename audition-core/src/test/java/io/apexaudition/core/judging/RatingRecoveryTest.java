package io.apexaudition.core.judging;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A planted order, judged by a simulated judge with noise and a position bias, must come back out of the ratings.
 * The parameters were checked over 50 to 100 simulation seeds, not only the one used here: every assertion below
 * held for every seed (the margins are noted where they are thin).
 */
class RatingRecoveryTest {
    /** Six lanes one log-strength apart (174 points on the rating scale): lane-a the worst, lane-f the best. */
    private static final Map<String, Double> PLANTED = planted(6, 1.0, "lane-%c", 'a');
    private static final List<String> BEST_FIRST = List.of("lane-f", "lane-e", "lane-d", "lane-c", "lane-b", "lane-a");
    /** Log-odds added for the piece shown first: between equal pieces the judge picks the first 82% of the time. */
    private static final double BIAS = 1.5;
    private static final JudgeSimulation BIASED = new JudgeSimulation(PLANTED, 0.3, BIAS, 0.1);
    private static final JudgeSimulation FAIR = new JudgeSimulation(PLANTED, 0.3, 0, 0.1);
    private static final int PROMPTS = 21;
    private static final long SEED = 20261201L;
    private static final BradleyTerry.Options OPTIONS =
            new BradleyTerry.Options(BradleyTerry.DEFAULT_PRIOR, 200, 0.95);

    @Test
    void shouldRecoverAPlantedOrderWithNonOverlappingIntervals() {
        // given a biased, noisy judge on 21 prompts, every pair in both orders
        List<Judgment> judgments = BIASED.judge("judge", PROMPTS, 5, true, SEED);

        // when
        List<LaneRating> rated = BradleyTerry.rate(judgments, OPTIONS, "recovery");

        // then the planted order, and lanes two or more steps apart are told apart at 95%
        assertThat(rated).extracting(LaneRating::lane).containsExactlyElementsOf(BEST_FIRST);
        for (int i = 0; i < rated.size(); i++) {
            assertThat(rated.get(i).lower()).isLessThan(rated.get(i).rating());
            assertThat(rated.get(i).upper()).isGreaterThan(rated.get(i).rating());
            for (int j = i + 2; j < rated.size(); j++) {
                assertThat(rated.get(i).separatedFrom(rated.get(j))).as("%s vs %s", rated.get(i), rated.get(j))
                        .isTrue();
            }
        }
    }

    @Test
    void shouldKeepThePositionBiasFromChangingTheRankingWhenJudgingInBothOrders() {
        // given the same judgments drawn with and without the position bias (same random draws)
        List<Judgment> biased = BIASED.judge("judge", PROMPTS, 5, true, SEED);
        List<Judgment> fair = FAIR.judge("judge", PROMPTS, 5, true, SEED);

        // when
        List<String> biasedOrder = order(BradleyTerry.fit(biased));
        List<String> fairOrder = order(BradleyTerry.fit(fair));

        // then both give the planted ranking
        assertThat(biasedOrder).isEqualTo(fairOrder).isEqualTo(BEST_FIRST);
    }

    @Test
    void shouldBeBiasedByPositionWhenJudgingInOneOrderOnly() {
        // given one order only, the weaker lane (by name) always shown first, with and without the bias
        List<Judgment> biased = BIASED.judge("judge", PROMPTS, 5, false, SEED);
        List<Judgment> fair = FAIR.judge("judge", PROMPTS, 5, false, SEED);

        // when
        Map<String, Double> biasedRatings = BradleyTerry.fit(biased);
        Map<String, Double> fairRatings = BradleyTerry.fit(fair);

        // then the bias, always on the weaker lane's side, pulls the best and the worst together (by 256 points
        // or more over 100 seeds); and with no pair seen both ways it cannot be measured, only suspected
        double biasedGap = biasedRatings.get("lane-f") - biasedRatings.get("lane-a");
        double fairGap = fairRatings.get("lane-f") - fairRatings.get("lane-a");
        assertThat(fairGap - biasedGap).isGreaterThan(200);
        PositionBias bias = JudgeConsistency.positionBias(biased);
        assertThat(bias.pairsInBothOrders()).isZero();
        assertThat(bias.disagreementRate()).isNull();
    }

    @Test
    void shouldDetectThePositionBiasWhenJudgingInBothOrders() {
        // given the biased and the fair judge, both orders
        PositionBias biased = JudgeConsistency.positionBias(BIASED.judge("judge", PROMPTS, 5, true, SEED));
        PositionBias fair = JudgeConsistency.positionBias(FAIR.judge("judge", PROMPTS, 5, true, SEED));

        // then position A wins well over half the time with the bias (0.626 at least over 100 seeds) and about
        // half without it (0.456..0.536), and the two orders disagree more often (so it went over 50 seeds)
        assertThat(biased.pairsInBothOrders()).isEqualTo(PROMPTS * 15);
        assertThat(biased.positionAWinRate()).isGreaterThan(0.6);
        assertThat(fair.positionAWinRate()).isBetween(0.44, 0.56);
        assertThat(biased.disagreementRate()).isGreaterThan(fair.disagreementRate());
    }

    @Test
    void shouldRankFifteenLanesOnASparseScheduleCloseToThePlantedOrder() {
        // given the audition's shape: 15 lanes 0.4 apart, each meeting 4 others per prompt, in both orders
        Map<String, Double> planted = planted(15, 0.4, "l%02d", 0);
        List<Judgment> judgments = new JudgeSimulation(planted, 0.3, BIAS, 0.1).judge("judge", PROMPTS, 4, true, SEED);

        // when
        List<String> order = order(BradleyTerry.fit(judgments));

        // then the rank correlation with the planted order is high (0.971 at the least over 50 seeds)
        assertThat(judgments).hasSize(PROMPTS * 30 * 2);
        assertThat(spearman(order, planted)).isGreaterThan(0.95);
    }

    /** {@code count} lanes named by {@code format} from {@code first}, spaced {@code spacing} apart around 0. */
    private static Map<String, Double> planted(int count, double spacing, String format, int first) {
        Map<String, Double> planted = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            planted.put(String.format(format, first + i), spacing * (i - (count - 1) / 2.0));
        }
        return planted;
    }

    private static List<String> order(Map<String, Double> ratings) {
        return ratings.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList();
    }

    private static double spearman(List<String> bestFirst, Map<String, Double> planted) {
        List<String> plantedBestFirst = order(planted);
        int n = bestFirst.size();
        double squares = 0;
        for (int i = 0; i < n; i++) {
            int d = i - plantedBestFirst.indexOf(bestFirst.get(i));
            squares += d * d;
        }
        return 1 - 6 * squares / (n * ((double) n * n - 1));
    }
}
