package io.apexaudition.viewer.domain;

import java.util.List;

/** One prompt of a matrix page and its cells, in lane order. */
public record MatrixRow(String promptId, String title, List<MatrixCell> cells) {
}
