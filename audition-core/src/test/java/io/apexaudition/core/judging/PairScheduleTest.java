package io.apexaudition.core.judging;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PairScheduleTest {
    private static final List<String> FIFTEEN = IntStream.rangeClosed(1, 15)
            .mapToObj(i -> String.format("lane%02d", i)).toList();

    @Test
    void shouldJudgeAllPairsWhenThereAreNoMoreLanesThanTheDegreeAllows() {
        // given four lanes, each to meet three others: that is every pair
        List<String> lanes = List.of("d", "b", "a", "c");

        // when
        List<LanePair> pairs = PairSchedule.plan(lanes, 3, "seed");

        // then
        assertThat(pairs).containsExactly(new LanePair("a", "b"), new LanePair("a", "c"), new LanePair("a", "d"),
                new LanePair("b", "c"), new LanePair("b", "d"), new LanePair("c", "d"));
    }

    @Test
    void shouldGiveFifteenLanesOfDegreeFourThirtyPairsAndSixtyJudgeCalls() {
        // given the audition's 15 lanes and degree 4 (a 4-regular graph: 15 * 4 / 2 edges)
        // when
        List<LanePair> pairs = PairSchedule.plan(FIFTEEN, 4, PairSchedule.seed("run-1", "p01"));

        // then
        assertThat(pairs).hasSize(30);
        assertThat(PairSchedule.matchups(pairs)).hasSize(60);
        assertThat(PairSchedule.connected(FIFTEEN, pairs)).isTrue();
    }

    @Test
    void shouldGiveOneLaneAnExtraPartnerWhenTheDegreeAndTheLaneCountAreBothOdd() {
        // given 15 lanes of degree 3: 45 partner slots cannot be paired up, so one lane gets a fourth partner
        List<LanePair> pairs = PairSchedule.plan(FIFTEEN, 3, "seed");

        // then 23 pairs: 22 from 44 slots plus the one extra
        assertThat(pairs).hasSize(23);
    }

    @Test
    void shouldPairDifferentLanesOnDifferentPromptsSoThatTheRunCoversManyPairs() {
        // given 21 prompts of one run
        Set<LanePair> seen = new HashSet<>();
        Set<List<LanePair>> schedules = new HashSet<>();

        // when each prompt gets its own seed
        for (int p = 1; p <= 21; p++) {
            List<LanePair> pairs = PairSchedule.plan(FIFTEEN, 4, PairSchedule.seed("run-1", "p" + p));
            seen.addAll(pairs);
            schedules.add(pairs);
        }

        // then the schedules differ and, together, meet most of the 105 possible pairs
        assertThat(schedules).hasSize(21);
        assertThat(seen.size()).isGreaterThan(90);
    }

    @Test
    void shouldPlanAPathForDegreeOne() {
        List<LanePair> pairs = PairSchedule.plan(List.of("a", "b", "c", "d", "e"), 1, "seed");

        assertThat(pairs).hasSize(4);
        assertThat(PairSchedule.connected(List.of("a", "b", "c", "d", "e"), pairs)).isTrue();
    }

    @Test
    void shouldPlanNothingForOneLaneOrNone() {
        assertThat(PairSchedule.plan(List.of("only"), 4, "seed")).isEmpty();
        assertThat(PairSchedule.plan(List.of(), 4, "seed")).isEmpty();
    }

    @Test
    void shouldTellADisconnectedScheduleFromAConnectedOne() {
        List<String> lanes = List.of("a", "b", "c", "d");

        assertThat(PairSchedule.connected(lanes, List.of(LanePair.of("a", "b"), LanePair.of("c", "d")))).isFalse();
        assertThat(PairSchedule.connected(lanes, List.of(LanePair.of("a", "b"), LanePair.of("c", "d"),
                LanePair.of("b", "c")))).isTrue();
    }

    @Test
    void shouldRefuseADegreeBelowOneAndALaneNamedTwice() {
        assertThatThrownBy(() -> PairSchedule.plan(List.of("a", "b"), 0, "seed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> PairSchedule.plan(List.of("a", "b", "a"), 2, "seed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
    }
}
