package io.apexaudition.core.judging;

import io.apexaudition.events.JudgingRubric;

/**
 * The texts of a judge request, built the same way by the planner on every replay. The shared context (the
 * instruction, the criteria, the scale, the answer format) is the same for every request of a pass, so the
 * providers' prompt caching applies to it; the writing prompt and the piece(s) are each request's own text. The
 * first line of the context marks the request as a judge request of one kind and version (the simulator answers
 * it as a judge; a real model reads it as a heading). No lane, model or generation id appears anywhere: judging is
 * blind.
 */
public final class JudgePrompts {
    public static final String RUBRIC_MARKER = "[apex-judge:rubric v1]";
    public static final String PAIRWISE_MARKER = "[apex-judge:pairwise v1]";
    public static final String WRITING_PROMPT = "=== WRITING PROMPT ===";
    public static final String PIECE = "=== PIECE ===";
    public static final String PIECE_A = "=== PIECE A ===";
    public static final String PIECE_B = "=== PIECE B ===";
    public static final String END = "=== END ===";

    private JudgePrompts() {
    }

    /** The shared context of a rubric pass: what to judge, each criterion and the scale, how to answer. */
    public static String rubricContext(JudgingRubric rubric) {
        StringBuilder s = new StringBuilder(RUBRIC_MARKER).append('\n').append(rubric.instruction().strip())
                .append("\n\nScore each criterion with an integer from ").append(rubric.scaleMin()).append(" to ")
                .append(rubric.scaleMax()).append(":\n");
        for (JudgingRubric.Criterion c : rubric.criteria()) {
            s.append("- ").append(c.name()).append(": ").append(c.description().strip()).append('\n');
        }
        return s.append('\n').append(rubric.answerFormat().strip()).append('\n').toString();
    }

    /** The shared context of a pairwise pass. */
    public static String pairwiseContext(JudgingRubric rubric) {
        return PAIRWISE_MARKER + "\n" + rubric.pairwiseInstruction().strip() + "\n\n"
                + rubric.pairwiseAnswerFormat().strip() + "\n";
    }

    /** One piece to score, under the prompt it was written for. */
    public static String rubricPrompt(String writingPrompt, String piece) {
        return WRITING_PROMPT + "\n" + writingPrompt.strip() + "\n\n" + PIECE + "\n" + piece + "\n" + END + "\n";
    }

    /** Two pieces to compare, shown as A then B. */
    public static String pairwisePrompt(String writingPrompt, String pieceA, String pieceB) {
        return WRITING_PROMPT + "\n" + writingPrompt.strip() + "\n\n" + PIECE_A + "\n" + pieceA + "\n\n" + PIECE_B
                + "\n" + pieceB + "\n" + END + "\n";
    }
}
