package io.apexaudition.viewer.domain;

import java.util.List;

/** A page of a run's prompts x lanes matrix: paged by prompt, so a page holds every lane of its prompts. */
public record MatrixPage(String runId, int page, int size, long totalPrompts, int totalPages, MatrixFilter filter,
        List<LaneSummary> lanes, List<MatrixRow> rows) {
}
