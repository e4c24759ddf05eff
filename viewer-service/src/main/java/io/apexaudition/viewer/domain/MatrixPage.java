package io.apexaudition.viewer.domain;

import java.util.List;

/**
 * A page of a run's prompts x lanes matrix: paged by prompt, so a page holds every lane of its prompts. {@code lanes}
 * are the columns (the filter's, in the lane order); {@code options} what the run's filters can choose from.
 */
public record MatrixPage(String runId, int page, int size, long totalPrompts, int totalPages, MatrixFilter filter,
        String sort, String laneSort, MatrixOptions options, List<LaneSummary> lanes, List<MatrixRow> rows) {

    /** The lanes, models and providers of the whole run, and every status: a filter form's choices. */
    public record MatrixOptions(List<String> lanes, List<String> models, List<String> providers,
            List<String> statuses) {

        /** The choices the run's lanes offer. */
        public static MatrixOptions of(List<LaneSummary> lanes) {
            return new MatrixOptions(lanes.stream().map(LaneSummary::laneId).distinct().sorted().toList(),
                    lanes.stream().map(LaneSummary::model).filter(m -> m != null).distinct().sorted().toList(),
                    lanes.stream().map(LaneSummary::provider).filter(p -> p != null).distinct().sorted().toList(),
                    MatrixFilter.STATUSES);
        }
    }
}
