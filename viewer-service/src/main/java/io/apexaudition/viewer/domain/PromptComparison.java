package io.apexaudition.viewer.domain;

import java.util.List;

/** One prompt's outputs in two runs, side by side for each lane both runs ran (and each replicate of it). */
public record PromptComparison(String a, String b, String promptId, String title, String text,
        List<LanePair> lanes) {

    /** One lane's output in run a and in run b; either is null where that run has none for the prompt. */
    public record LanePair(String laneId, Integer replicate, LaneOutput a, LaneOutput b) {
    }
}
