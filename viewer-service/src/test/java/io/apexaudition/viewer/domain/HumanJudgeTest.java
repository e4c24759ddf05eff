package io.apexaudition.viewer.domain;

import io.apexaudition.core.judging.Judgment;
import io.apexaudition.core.judging.Winner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HumanJudgeTest {
    private static final Map<String, String> LANES = Map.of("g1", "opus", "g2", "gpt5", "g3", "4o", "g4", "opus");

    @Test
    void shouldReadAPairwiseVerdictInTheOrderShownWithMarginOneOrNoneForATie() {
        HumanJudge judge = HumanJudge.of(List.of(
                new HumanJudge.Verdict("p1", "pairwise", "g3", "g1", "a", null),
                new HumanJudge.Verdict("p2", "pairwise", "g1", "g2", "TIE", null)), LANES);

        assertThat(judge.ordered()).containsExactly(
                new Judgment("p1", "human", "4o", "opus", Winner.A, 1),
                new Judgment("p2", "human", "opus", "gpt5", Winner.TIE, 0));
        assertThat(judge.unordered()).isEmpty();
    }

    @Test
    void shouldReadARankingAsEveryPairTheBetterRankedWinningWithoutAnOrder() {
        HumanJudge judge = HumanJudge.of(List.of(
                new HumanJudge.Verdict("p1", "ranking", null, null, null, List.of("g2", "g1", "g3"))), LANES);

        assertThat(judge.ordered()).isEmpty();
        assertThat(judge.unordered()).containsExactly(
                new Judgment("p1", "human", "gpt5", "opus", Winner.A, 1),
                new Judgment("p1", "human", "gpt5", "4o", Winner.A, 1),
                new Judgment("p1", "human", "opus", "4o", Winner.A, 1));
    }

    @Test
    void shouldLeaveOutTwoOutputsOfOneLaneAnUnknownOutputAndAWinnerItCannotRead() {
        HumanJudge judge = HumanJudge.of(List.of(
                new HumanJudge.Verdict("p1", "pairwise", "g1", "g4", "a", null),
                new HumanJudge.Verdict("p1", "pairwise", "g1", "g9", "b", null),
                new HumanJudge.Verdict("p1", "pairwise", "g1", "g2", "maybe", null),
                new HumanJudge.Verdict("p1", "ranking", null, null, null, List.of("g1", "g4", "g9"))), LANES);

        assertThat(judge.ordered()).isEmpty();
        assertThat(judge.unordered()).isEmpty();
    }
}
