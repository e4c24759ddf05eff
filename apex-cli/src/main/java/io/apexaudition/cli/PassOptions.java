package io.apexaudition.cli;

import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What a judging pass is, for {@code apex judge} and {@code apex estimate --judge}: its kind and instructions. */
class PassOptions {
    @Option(names = "--rubric", paramLabel = "FILE", description = "The judges' instructions (default: "
            + "config/judging/rubric.yaml).")
    Path rubric;

    @Option(names = "--pairwise", description = "Judge pairs of lanes per prompt, in both orders (default: score each "
            + "output on the rubric).")
    boolean pairwise;

    @Option(names = "--pair-degree", paramLabel = "K", description = "Pairwise: each lane meets K others per prompt "
            + "(default " + JudgingRequested.DEFAULT_PAIR_DEGREE + "; all pairs once K reaches lanes - 1).")
    Integer pairDegree;

    JudgingKind kind() {
        return pairwise ? JudgingKind.PAIRWISE : JudgingKind.RUBRIC;
    }
}
