package io.apexaudition.events;

/** How a judging pass judges: each output on a rubric, or pairs of outputs of one prompt against each other. */
public enum JudgingKind {
    RUBRIC,
    PAIRWISE
}
