package io.apexaudition.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Judge requests as the project's judging pass writes them (audition-core's JudgePrompts, format v1, with the shipped
 * rubric's wording shortened), written out here because the simulator, standing in for a provider, must read them
 * without that code.
 */
public final class JudgeTexts {
    /** The shipped rubric's criteria, in its order. */
    public static final Map<String, String> CRITERIA = criteria(
            "imagery", "Concrete, fresh, specific images; the senses engaged; no stock phrases",
            "voice", "A distinct, consistent voice suited to the form and the prompt",
            "structure", "Shape and pacing; an ending that lands; every part earns its place",
            "prompt_fit", "Does what the prompt asks: form, length, point of view, constraints",
            "originality", "Surprises the reader; avoids the obvious take on the prompt");

    private JudgeTexts() {
    }

    /** Criteria in the order given, as name, description, name, description... */
    public static Map<String, String> criteria(String... namesAndDescriptions) {
        Map<String, String> criteria = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDescriptions.length; i += 2) {
            criteria.put(namesAndDescriptions[i], namesAndDescriptions[i + 1]);
        }
        return Collections.unmodifiableMap(criteria);
    }

    public static String rubricContext(Map<String, String> criteria, int min, int max) {
        StringBuilder s = new StringBuilder("[apex-judge:rubric v1]\n")
                .append("You are an experienced literary editor judging a piece of creative writing written for the "
                        + "prompt below.\nJudge only the writing: its craft, not whether you share its views.")
                .append("\n\nScore each criterion with an integer from ").append(min).append(" to ").append(max)
                .append(":\n");
        criteria.forEach((name, description) -> s.append("- ").append(name).append(": ").append(description)
                .append('\n'));
        return s.append("\nAnswer with one JSON object and nothing else:\n{\"scores\": {\"imagery\": <integer>}, "
                + "\"rationale\": \"<at most two sentences>\"}\n").toString();
    }

    public static String rubricContext() {
        return rubricContext(CRITERIA, 1, 10);
    }

    public static String pairwiseContext() {
        return "[apex-judge:pairwise v1]\nYou are an experienced literary editor. Two pieces, A and B, were written for "
                + "the same prompt below. Decide\nwhich is the better piece of writing as a whole.\n\n"
                + "Answer with one JSON object and nothing else:\n{\"winner\": \"A\" | \"B\" | \"tie\", \"margin\": "
                + "1 | 2 | 3, \"rationale\": \"<at most two sentences>\"}\nmargin: 1 slightly better, 2 clearly "
                + "better, 3 much better (0 for a tie).\n";
    }

    public static String rubricPrompt(String writingPrompt, String piece) {
        return "=== WRITING PROMPT ===\n" + writingPrompt.strip() + "\n\n=== PIECE ===\n" + piece + "\n=== END ===\n";
    }

    public static String pairwisePrompt(String writingPrompt, String pieceA, String pieceB) {
        return "=== WRITING PROMPT ===\n" + writingPrompt.strip() + "\n\n=== PIECE A ===\n" + pieceA
                + "\n\n=== PIECE B ===\n" + pieceB + "\n=== END ===\n";
    }
}
