package io.apexaudition.viewer.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Readers' verdicts on a run, per lane: pairwise wins, ties and losses, and from rankings how many a lane appears in
 * and its mean rank (1 is best). A pairwise verdict between two outputs of the same lane (replicates) and an output
 * whose lane is not known (yet: a replay may record a verdict before its generations) count in the totals only.
 *
 * @param runId         the run
 * @param verdicts      every verdict recorded for the run
 * @param pairwise      the pairwise ones
 * @param rankings      the rankings
 * @param promptId      the prompt {@code promptVerdicts} counts, when one was asked for
 * @param promptVerdicts the verdicts on that prompt
 * @param lanes         every lane of the run, in lane order
 */
public record VerdictTally(String runId, long verdicts, long pairwise, long rankings, String promptId,
        Long promptVerdicts, List<LaneTally> lanes) {

    /**
     * One lane's verdicts.
     *
     * @param meanRank the lane's mean position over the rankings it appears in (1 is best), null without any
     */
    public record LaneTally(String laneId, long wins, long ties, long losses, long rankings, Double meanRank) {
    }

    /** A pairwise verdict: the lanes of its outputs (null when unknown) and its winner: a, b or tie. */
    public record Pairwise(String laneA, String laneB, String winner) {
    }

    /** A ranking as its outputs' lanes, best first (an element is null when its lane is unknown). */
    public record Ranking(List<String> lanes) {
    }

    /**
     * The tally of a run's verdicts.
     *
     * @param runLanes the run's lanes, listed even without a verdict
     */
    public static VerdictTally of(String runId, List<String> runLanes, List<Pairwise> pairwise, List<Ranking> rankings,
            String promptId, Long promptVerdicts) {
        Map<String, Counts> byLane = new TreeMap<>();
        runLanes.forEach(l -> byLane.put(l, new Counts()));
        for (Pairwise p : pairwise) {
            if (p.laneA() == null || p.laneB() == null || p.laneA().equals(p.laneB())) {
                continue;
            }
            Counts a = byLane.computeIfAbsent(p.laneA(), l -> new Counts());
            Counts b = byLane.computeIfAbsent(p.laneB(), l -> new Counts());
            switch (p.winner()) {
                case "a" -> {
                    a.wins++;
                    b.losses++;
                }
                case "b" -> {
                    b.wins++;
                    a.losses++;
                }
                default -> {
                    a.ties++;
                    b.ties++;
                }
            }
        }
        for (Ranking r : rankings) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < r.lanes().size(); i++) {
                String lane = r.lanes().get(i);
                if (lane == null) {
                    continue;
                }
                Counts c = byLane.computeIfAbsent(lane, l -> new Counts());
                c.rankSum += i + 1;
                c.ranked++;
                if (seen.add(lane)) {
                    c.rankings++;
                }
            }
        }
        List<LaneTally> lanes = new ArrayList<>(byLane.size());
        byLane.forEach((lane, c) -> lanes.add(new LaneTally(lane, c.wins, c.ties, c.losses, c.rankings,
                c.ranked == 0 ? null : Math.round(100.0 * c.rankSum / c.ranked) / 100.0)));
        return new VerdictTally(runId, pairwise.size() + rankings.size(), pairwise.size(), rankings.size(), promptId,
                promptVerdicts, List.copyOf(lanes));
    }

    private static final class Counts {
        long wins;
        long ties;
        long losses;
        long rankings;
        long rankSum;
        long ranked;
    }
}
