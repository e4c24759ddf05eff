package io.apexaudition.core.judging;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Any number of lanes, any degree, any seed: the schedule's guarantees, checked by counting, not by the code. */
class PairSchedulePropertyTest {

    @Provide
    Arbitrary<List<String>> lanes() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-').ofMinLength(1).ofMaxLength(8)
                .list().uniqueElements().ofMaxSize(24);
    }

    @Property(seed = "20261201", tries = 300)
    void shouldPlanAConnectedScheduleWithoutSelfOrRepeatedPairsAndBoundedDegrees(
            @ForAll("lanes") List<String> lanes, @ForAll @IntRange(min = 1, max = 8) int degree,
            @ForAll String seed) {
        List<LanePair> pairs = PairSchedule.plan(lanes, degree, seed);

        int n = lanes.size();
        Set<Set<String>> unordered = new HashSet<>();
        Map<String, Integer> degrees = new HashMap<>();
        for (LanePair pair : pairs) {
            assertThat(pair.first()).isNotEqualTo(pair.second());
            assertThat(lanes).contains(pair.first(), pair.second());
            assertThat(unordered.add(Set.of(pair.first(), pair.second()))).as("repeated %s", pair).isTrue();
            degrees.merge(pair.first(), 1, Integer::sum);
            degrees.merge(pair.second(), 1, Integer::sum);
        }
        assertThat(components(lanes, pairs)).isLessThanOrEqualTo(1);
        if (n <= degree + 1) {
            assertThat(pairs).hasSize(n * (n - 1) / 2);
        } else {
            for (String lane : lanes) {
                assertThat(degrees.getOrDefault(lane, 0)).as("partners of %s", lane).isBetween(degree, degree + 1);
            }
        }
    }

    @Property(seed = "20261201", tries = 100)
    void shouldPlanTheSamePairsForTheSameSeedWhateverOrderTheLanesComeIn(
            @ForAll("lanes") List<String> lanes, @ForAll @IntRange(min = 1, max = 6) int degree,
            @ForAll String runId, @ForAll String promptId, @ForAll long shuffle) {
        List<String> shuffled = new ArrayList<>(lanes);
        Collections.shuffle(shuffled, new Random(shuffle));
        String seed = PairSchedule.seed(runId, promptId);

        assertThat(PairSchedule.plan(shuffled, degree, seed)).isEqualTo(PairSchedule.plan(lanes, degree, seed));
    }

    @Property(seed = "20261201", tries = 100)
    void shouldJudgeEveryPairInBothOrdersAndNothingElse(@ForAll("lanes") List<String> lanes,
                                                        @ForAll @IntRange(min = 1, max = 6) int degree) {
        List<LanePair> pairs = PairSchedule.plan(lanes, degree, "run\np01");

        List<Matchup> matchups = PairSchedule.matchups(pairs);

        assertThat(matchups).hasSize(pairs.size() * 2).doesNotHaveDuplicates();
        for (Matchup matchup : matchups) {
            assertThat(matchups).contains(new Matchup(matchup.laneB(), matchup.laneA()));
            assertThat(pairs).contains(LanePair.of(matchup.laneA(), matchup.laneB()));
        }
    }

    /** Connected components by union-find, independent of {@link PairSchedule#connected}. */
    static int components(List<String> lanes, List<LanePair> pairs) {
        Map<String, String> parent = new HashMap<>();
        lanes.forEach(lane -> parent.put(lane, lane));
        for (LanePair pair : pairs) {
            parent.put(root(parent, pair.first()), root(parent, pair.second()));
        }
        Set<String> roots = new HashSet<>();
        lanes.forEach(lane -> roots.add(root(parent, lane)));
        return roots.size();
    }

    private static String root(Map<String, String> parent, String lane) {
        String root = lane;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        return root;
    }
}
