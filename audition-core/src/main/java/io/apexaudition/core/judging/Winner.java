package io.apexaudition.core.judging;

/** Which of the two pieces a pairwise judge preferred, by position: the one shown first (A), second (B), or neither. */
public enum Winner {
    A, B, TIE
}
