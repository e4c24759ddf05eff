package io.apexaudition.viewer.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Two runs compared lane by lane: for each lane both ran, each run's figures and the difference (b minus a), the
 * lanes only one of them ran, and the prompts both ran (to read one side by side).
 */
public record RunComparison(RunSummary a, RunSummary b, List<LaneComparison> lanes, List<String> onlyInA,
        List<String> onlyInB, List<PromptRef> prompts) {

    /** One lane in both runs; {@code difference} is b minus a. */
    public record LaneComparison(String laneId, LaneSummary a, LaneSummary b, Difference difference) {
    }

    /** b minus a: cost, mean length, errors, coverage (a share, so 0.05 is five points); null where one is unknown. */
    public record Difference(BigDecimal costUsd, Double meanLength, long errors, double coverage) {
    }

    /** A prompt both runs ran. */
    public record PromptRef(String promptId, String title) {
    }

    /** The comparison of two runs' lanes (each in any order); the lanes in both come in id order. */
    public static RunComparison of(RunSummary a, RunSummary b, List<LaneSummary> lanesA, List<LaneSummary> lanesB,
            List<PromptRef> prompts) {
        Map<String, LaneSummary> inB = lanesB.stream().collect(Collectors.toMap(LaneSummary::laneId,
                Function.identity(), (x, y) -> x));
        Map<String, LaneSummary> inA = lanesA.stream().collect(Collectors.toMap(LaneSummary::laneId,
                Function.identity(), (x, y) -> x));
        List<LaneComparison> both = new ArrayList<>();
        lanesA.stream().filter(l -> inB.containsKey(l.laneId())).sorted(LaneSummary.order(new SortOrder("id", false)))
                .forEach(l -> both.add(new LaneComparison(l.laneId(), l, inB.get(l.laneId()),
                        difference(l, inB.get(l.laneId())))));
        List<String> onlyA = lanesA.stream().map(LaneSummary::laneId).filter(id -> !inB.containsKey(id)).sorted()
                .toList();
        List<String> onlyB = lanesB.stream().map(LaneSummary::laneId).filter(id -> !inA.containsKey(id)).sorted()
                .toList();
        return new RunComparison(a, b, both, onlyA, onlyB, prompts);
    }

    static Difference difference(LaneSummary a, LaneSummary b) {
        BigDecimal cost = a.costUsd() == null || b.costUsd() == null ? null : b.costUsd().subtract(a.costUsd());
        Double length = a.meanLength() == null || b.meanLength() == null ? null : b.meanLength() - a.meanLength();
        return new Difference(cost, length, b.errors() - a.errors(), b.coverage() - a.coverage());
    }
}
