package io.apexaudition.core.judging;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BradleyTerryTest {
    private static final double ELO = 400 / Math.log(10);

    @Test
    void shouldMatchTheClosedFormOfTwoLanes() {
        // given x beat y 30 times and lost 10: the MLE has p = 30/40, so the difference is log(p / (1 - p))
        List<Judgment> judgments = games("p1", "x>y", 30, "x<y", 10);

        // when fitted with a vanishing prior
        Map<String, Double> ratings = BradleyTerry.fit(judgments, 1e-9);

        // then 400 * log10(3) apart, centred on 0
        assertThat(ratings.get("x") - ratings.get("y")).isCloseTo(400 * Math.log10(3), within(1e-4));
        assertThat(ratings.get("x") + ratings.get("y")).isCloseTo(0, within(1e-9));
    }

    @Test
    void shouldCountATieAsHalfAWinToEachLane() {
        // given x won 10, lost 2 and tied 4: 12 points of 16, so p = 0.75 as above
        List<Judgment> judgments = games("p1", "x>y", 10, "y>x", 2, "y=x", 4);

        Map<String, Double> ratings = BradleyTerry.fit(judgments, 1e-9);

        assertThat(ratings.get("x") - ratings.get("y")).isCloseTo(ELO * Math.log(3), within(1e-4));
    }

    @Test
    void shouldIgnoreTheMarginAndThePositionOfTheWinner() {
        // given the same lane outcomes, once slight wins in position A, once decisive wins in position B
        List<Judgment> slight = List.of(new Judgment("p1", "j", "x", "y", Winner.A, 1),
                new Judgment("p1", "j", "y", "x", Winner.A, 1));
        List<Judgment> decisive = List.of(new Judgment("p1", "j", "y", "x", Winner.B, 3),
                new Judgment("p1", "j", "x", "y", Winner.B, 3));

        assertThat(BradleyTerry.fit(decisive)).isEqualTo(BradleyTerry.fit(slight));
    }

    @Test
    void shouldSolveTheScoreEquationsOfTheMaximumLikelihood() {
        // given random results among five lanes of different strengths
        Random random = new Random(7);
        double[] truth = {1.5, 0.7, 0.0, -0.4, -1.2};
        List<Judgment> judgments = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            int i = random.nextInt(5);
            int j = (i + 1 + random.nextInt(4)) % 5;
            double pI = 1 / (1 + Math.exp(truth[j] - truth[i]));
            judgments.add(new Judgment("p" + k % 7, "j", "l" + i, "l" + j,
                    random.nextDouble() < pI ? Winner.A : Winner.B, 1));
        }

        // when
        Map<String, Double> ratings = BradleyTerry.fit(judgments, 1e-9);

        // then at the MLE each lane's expected wins equal its observed wins (the gradient vanishes)
        for (int i = 0; i < 5; i++) {
            String lane = "l" + i;
            double observed = 0;
            double expected = 0;
            for (Judgment judgment : judgments) {
                if (judgment.laneA().equals(lane) || judgment.laneB().equals(lane)) {
                    String other = judgment.laneA().equals(lane) ? judgment.laneB() : judgment.laneA();
                    observed += lane.equals(judgment.winningLane()) ? 1 : 0;
                    expected += 1 / (1 + Math.exp((ratings.get(other) - ratings.get(lane)) / ELO));
                }
            }
            assertThat(expected).as(lane).isCloseTo(observed, within(1e-5));
        }
    }

    @Test
    void shouldKeepALaneThatAlwaysWinsFiniteAndOnTop() {
        // given x beats y and z every time, and y and z split
        List<Judgment> judgments = games("p1", "x>y", 20, "z<x", 20, "y>z", 10, "z>y", 10);

        Map<String, Double> ratings = BradleyTerry.fit(judgments);

        assertThat(ratings.get("x")).isFinite().isGreaterThan(400);
        assertThat(ratings.get("y")).isCloseTo(ratings.get("z"), within(1e-6));
    }

    @Test
    void shouldRateACycleEvenly() {
        // given a beats b, b beats c, c beats a, equally often: no lane is better
        List<Judgment> judgments = games("p1", "a>b", 5, "b>c", 5, "c>a", 5);

        assertThat(BradleyTerry.fit(judgments).values()).allSatisfy(r -> assertThat(r).isCloseTo(0, within(1e-6)));
    }

    @Test
    void shouldRankBestFirstWithTheRecordOfEachLaneAndADeterministicInterval() {
        // given three lanes over six prompts, x clearly best
        List<Judgment> judgments = new ArrayList<>();
        for (int p = 1; p <= 6; p++) {
            judgments.addAll(games("p" + p, "x>y", 3, "y>x", 1, "y>z", 2, "z=y", p % 2, "x>z", 2));
        }
        BradleyTerry.Options options = new BradleyTerry.Options(BradleyTerry.DEFAULT_PRIOR, 200, 0.95);

        // when
        List<LaneRating> rated = BradleyTerry.rate(judgments, options, "run\njudge");

        // then
        assertThat(rated).extracting(LaneRating::lane).containsExactly("x", "y", "z");
        LaneRating x = rated.get(0);
        assertThat(x.wins()).isEqualTo(30);
        assertThat(x.losses()).isEqualTo(6);
        assertThat(x.ties()).isZero();
        assertThat(rated.get(2).ties()).isEqualTo(3);
        assertThat(x.rating()).isEqualTo(BradleyTerry.fit(judgments).get("x"));
        assertThat(rated).allSatisfy(r -> assertThat(r.rating()).isBetween(r.lower(), r.upper()));
        assertThat(BradleyTerry.rate(judgments, options, "run\njudge")).isEqualTo(rated);
        assertThat(BradleyTerry.rate(judgments, options, "another seed")).isNotEqualTo(rated);
    }

    @Test
    void shouldGiveNoIntervalWithoutResamplesAndRefuseANonPositivePrior() {
        List<Judgment> judgments = List.of(new Judgment("p1", "j", "x", "y", Winner.A, 2));

        List<LaneRating> rated = BradleyTerry.rate(judgments, new BradleyTerry.Options(0.1, 0, 0.95), "seed");

        assertThat(rated).allSatisfy(r -> assertThat(r.lower()).isNull());
        assertThatThrownBy(() -> BradleyTerry.fit(judgments, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(BradleyTerry.rate(List.of(), BradleyTerry.Options.DEFAULT, "seed")).isEmpty();
    }

    /**
     * Judgments on one prompt from (pair, count) arguments, the lane shown first on the left: "x>y" x won,
     * "x<y" y won, "x=y" a tie.
     */
    private static List<Judgment> games(String prompt, Object... pairsAndCounts) {
        List<Judgment> judgments = new ArrayList<>();
        for (int k = 0; k < pairsAndCounts.length; k += 2) {
            String pair = (String) pairsAndCounts[k];
            String[] lanes = pair.split("[<>=]");
            char sign = pair.charAt(lanes[0].length());
            Winner winner = sign == '>' ? Winner.A : sign == '<' ? Winner.B : Winner.TIE;
            for (int i = 0; i < (int) pairsAndCounts[k + 1]; i++) {
                judgments.add(new Judgment(prompt, "judge", lanes[0], lanes[1], winner, winner == Winner.TIE ? 0 : 2));
            }
        }
        return judgments;
    }
}
