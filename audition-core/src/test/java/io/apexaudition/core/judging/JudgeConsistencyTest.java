package io.apexaudition.core.judging;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class JudgeConsistencyTest {

    @Test
    void shouldCountTheOrdersThatDisagreeAndHowOftenPositionAWins() {
        // given four pairs judged in both orders by one judge:
        //   p1 x/y: A then A  -> the winner flips with the position (disagree)
        //   p1 x/z: A then B  -> x both times (agree)
        //   p2 x/y: tie then B -> a tie against a win (disagree)
        //   p2 y/z: B then A  -> z both times (agree)
        // and one pair in one order only, which counts for position A but not for the orders
        List<Judgment> judgments = List.of(
                j("p1", "judge", "x", "y", Winner.A), j("p1", "judge", "y", "x", Winner.A),
                j("p1", "judge", "x", "z", Winner.A), j("p1", "judge", "z", "x", Winner.B),
                j("p2", "judge", "x", "y", Winner.TIE), j("p2", "judge", "y", "x", Winner.B),
                j("p2", "judge", "y", "z", Winner.B), j("p2", "judge", "z", "y", Winner.A),
                j("p3", "judge", "x", "y", Winner.A));

        // when
        PositionBias bias = JudgeConsistency.positionBias(judgments);

        // then 2 of 4 disagree; of 8 decisive verdicts, 5 went to position A
        assertThat(bias).isEqualTo(new PositionBias(4, 2, 0.5, 8, 5, 5 / 8.0));
    }

    @Test
    void shouldNotPairTheOrdersOfTwoDifferentJudges() {
        List<Judgment> judgments = List.of(j("p1", "one", "x", "y", Winner.A), j("p1", "two", "y", "x", Winner.A));

        PositionBias bias = JudgeConsistency.positionBias(judgments);

        assertThat(bias.pairsInBothOrders()).isZero();
        assertThat(bias.disagreementRate()).isNull();
        assertThat(bias.positionAWinRate()).isEqualTo(1.0);
    }

    @Test
    void shouldGiveTheAgreementAndCohensKappaOfTwoJudges() {
        // given the textbook table over 50 pairs: both say first lane 20, first/second 5, second/first 10, both
        // second 15: observed 0.7, chance 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
        List<Judgment> judgments = new ArrayList<>();
        int pair = 0;
        pair = both(judgments, pair, 20, Winner.A, Winner.A);
        pair = both(judgments, pair, 5, Winner.A, Winner.B);
        pair = both(judgments, pair, 10, Winner.B, Winner.A);
        both(judgments, pair, 15, Winner.B, Winner.B);

        // when
        JudgeAgreement agreement = JudgeConsistency.agreement(judgments, "one", "two");

        // then
        assertThat(agreement.pairs()).isEqualTo(50);
        assertThat(agreement.agreements()).isEqualTo(35);
        assertThat(agreement.agreementRate()).isCloseTo(0.7, within(1e-12));
        assertThat(agreement.kappa()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void shouldJudgeAPairByBothItsOrdersAndCountOnlyPairsBothJudgesSaw() {
        // given judge one splits p1's pair (a tie on the pair), judge two wins it for x twice; p2 only judge one saw
        List<Judgment> judgments = List.of(
                j("p1", "one", "x", "y", Winner.A), j("p1", "one", "y", "x", Winner.A),
                j("p1", "two", "x", "y", Winner.A), j("p1", "two", "y", "x", Winner.B),
                j("p2", "one", "x", "y", Winner.A));

        JudgeAgreement agreement = JudgeConsistency.agreement(judgments, "one", "two");

        // then one pair in common, where they disagree; kappa: observed 0, chance 0, so 0
        assertThat(agreement).isEqualTo(new JudgeAgreement("one", "two", 1, 0, 0.0, 0.0));
    }

    @Test
    void shouldGiveNoRateWhenNothingIsInCommonAndNoKappaWhenChanceAloneAgrees() {
        assertThat(JudgeConsistency.agreement(List.of(j("p1", "one", "x", "y", Winner.A)), "one", "two"))
                .isEqualTo(new JudgeAgreement("one", "two", 0, 0, null, null));
        // both judges always say the first lane: they agree, but so would anyone with those habits
        List<Judgment> same = List.of(j("p1", "one", "x", "y", Winner.A), j("p1", "two", "x", "y", Winner.A));
        assertThat(JudgeConsistency.agreement(same, "one", "two").kappa()).isNull();
    }

    private static int both(List<Judgment> into, int from, int count, Winner one, Winner two) {
        for (int i = from; i < from + count; i++) {
            into.add(j("p" + i, "one", "x", "y", one));
            into.add(j("p" + i, "two", "x", "y", two));
        }
        return from + count;
    }

    private static Judgment j(String prompt, String judge, String a, String b, Winner winner) {
        return new Judgment(prompt, judge, a, b, winner, winner == Winner.TIE ? 0 : 1);
    }
}
