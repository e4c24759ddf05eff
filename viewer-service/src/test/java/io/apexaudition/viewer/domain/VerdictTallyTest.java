package io.apexaudition.viewer.domain;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTallyTest {

    private static VerdictTally.LaneTally lane(VerdictTally tally, String laneId) {
        return tally.lanes().stream().filter(l -> l.laneId().equals(laneId)).findFirst().orElseThrow();
    }

    @Test
    void shouldCountPairwiseWinsTiesAndLossesPerLane() {
        // given three pairwise verdicts between three lanes
        List<VerdictTally.Pairwise> pairwise = List.of(
                new VerdictTally.Pairwise("gpt5", "opus", "a"),
                new VerdictTally.Pairwise("opus", "4o", "b"),
                new VerdictTally.Pairwise("gpt5", "4o", "tie"));

        // when they are tallied
        VerdictTally tally = VerdictTally.of("run-1", List.of("4o", "gpt5", "opus"), pairwise, List.of(), null, null);

        // then each lane has its wins, ties and losses, and the totals count every verdict
        assertThat(lane(tally, "gpt5")).extracting("wins", "ties", "losses").containsExactly(1L, 1L, 0L);
        assertThat(lane(tally, "opus")).extracting("wins", "ties", "losses").containsExactly(0L, 0L, 2L);
        assertThat(lane(tally, "4o")).extracting("wins", "ties", "losses").containsExactly(1L, 1L, 0L);
        assertThat(tally.verdicts()).isEqualTo(3);
        assertThat(tally.pairwise()).isEqualTo(3);
        assertThat(tally.rankings()).isZero();
        assertThat(tally.lanes()).allSatisfy(l -> assertThat(l.meanRank()).isNull());
    }

    @Test
    void shouldGiveEachLaneItsMeanRankOverTheRankingsItAppearsIn() {
        List<VerdictTally.Ranking> rankings = List.of(
                new VerdictTally.Ranking(List.of("opus", "gpt5", "4o")),
                new VerdictTally.Ranking(List.of("gpt5", "opus", "4o")),
                new VerdictTally.Ranking(List.of("gpt5", "4o")));

        VerdictTally tally = VerdictTally.of("run-1", List.of("4o", "gpt5", "opus"), List.of(), rankings, null, null);

        assertThat(lane(tally, "gpt5").meanRank()).isEqualTo(1.33);
        assertThat(lane(tally, "gpt5").rankings()).isEqualTo(3);
        assertThat(lane(tally, "opus").meanRank()).isEqualTo(1.5);
        assertThat(lane(tally, "opus").rankings()).isEqualTo(2);
        assertThat(lane(tally, "4o").meanRank()).isEqualTo(2.67);
        assertThat(tally.rankings()).isEqualTo(3);
        assertThat(tally.verdicts()).isEqualTo(3);
    }

    @Test
    void shouldListEveryLaneOfTheRunInLaneOrderEvenWithoutAVerdict() {
        VerdictTally tally = VerdictTally.of("run-1", List.of("opus", "4o", "gpt5"), List.of(), List.of(), "p01", 0L);

        assertThat(tally.lanes()).extracting(VerdictTally.LaneTally::laneId).containsExactly("4o", "gpt5", "opus");
        assertThat(tally.lanes()).allSatisfy(l -> {
            assertThat(l.wins() + l.ties() + l.losses() + l.rankings()).isZero();
            assertThat(l.meanRank()).isNull();
        });
        assertThat(tally.verdicts()).isZero();
        assertThat(tally.promptVerdicts()).isZero();
    }

    @Test
    void shouldCountAVerdictBetweenReplicatesOfOneLaneOrOfUnknownLanesInTheTotalsOnly() {
        List<VerdictTally.Pairwise> pairwise = List.of(
                new VerdictTally.Pairwise("gpt5", "gpt5", "a"),
                new VerdictTally.Pairwise("gpt5", null, "b"));
        List<VerdictTally.Ranking> rankings = List.of(new VerdictTally.Ranking(Arrays.asList(null, "gpt5")));

        VerdictTally tally = VerdictTally.of("run-1", List.of("gpt5"), pairwise, rankings, null, null);

        assertThat(lane(tally, "gpt5")).extracting("wins", "ties", "losses", "rankings")
                .containsExactly(0L, 0L, 0L, 1L);
        assertThat(lane(tally, "gpt5").meanRank()).isEqualTo(2.0);
        assertThat(tally.lanes()).hasSize(1);
        assertThat(tally.verdicts()).isEqualTo(3);
    }
}
