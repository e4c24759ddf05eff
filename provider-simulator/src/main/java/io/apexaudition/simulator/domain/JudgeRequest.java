package io.apexaudition.simulator.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A judge request read the way a model reads it, from the documented format (version 1) of the project's judging
 * pass, without depending on the code that writes it. The shared context (OpenAI: the system message; Anthropic: the
 * system text) starts with the line {@code [apex-judge:rubric v1]} or {@code [apex-judge:pairwise v1]}; a rubric lists
 * its criteria as lines {@code - name: description} under "Score each criterion with an integer from MIN to MAX:".
 * The user message holds {@code === WRITING PROMPT ===}, then {@code === PIECE ===} (rubric) or {@code === PIECE A ===}
 * and {@code === PIECE B ===} (pairwise), and ends with {@code === END ===}. Anything else is not a judge request.
 *
 * @param criteria the rubric's criterion names, in order (empty for pairwise)
 * @param pieces   the piece judged (rubric) or pieces A and B (pairwise); a piece not found is empty
 */
public record JudgeRequest(Kind kind, List<String> criteria, int scaleMin, int scaleMax, List<String> pieces) {
    static final String RUBRIC_MARKER = "[apex-judge:rubric v1]";
    static final String PAIRWISE_MARKER = "[apex-judge:pairwise v1]";
    /** The scale when the context names none that can be used. */
    static final int DEFAULT_MIN = 1;
    static final int DEFAULT_MAX = 10;

    private static final Pattern SCALE = Pattern.compile(
            "^Score each criterion with an integer from (-?\\d{1,6}) to (-?\\d{1,6}):[ \\t\\r]*$", Pattern.MULTILINE);
    private static final Pattern CRITERION = Pattern.compile("^- ([^:\\n]+):");
    private static final Pattern PIECE = marker("=== PIECE ===");
    private static final Pattern PIECE_A = marker("=== PIECE A ===");
    private static final Pattern PIECE_B = marker("=== PIECE B ===");
    private static final Pattern END = marker("=== END ===");

    public enum Kind { RUBRIC, PAIRWISE }

    public JudgeRequest {
        criteria = List.copyOf(criteria);
        pieces = List.copyOf(pieces);
    }

    /** The judge request in these texts, or empty when the context does not start with a judge marker. */
    public static Optional<JudgeRequest> read(String context, String prompt) {
        String first = context.stripLeading().lines().findFirst().orElse("").strip();
        if (first.equals(PAIRWISE_MARKER)) {
            return Optional.of(new JudgeRequest(Kind.PAIRWISE, List.of(), DEFAULT_MIN, DEFAULT_MAX,
                    pieces(prompt, PIECE_A, PIECE_B)));
        }
        if (!first.equals(RUBRIC_MARKER)) {
            return Optional.empty();
        }
        int min = DEFAULT_MIN;
        int max = DEFAULT_MAX;
        List<String> criteria = new ArrayList<>();
        Matcher scale = SCALE.matcher(context);
        if (scale.find()) {
            int lo = Integer.parseInt(scale.group(1));
            int hi = Integer.parseInt(scale.group(2));
            if (lo < hi) {
                min = lo;
                max = hi;
            }
            for (String line : context.substring(scale.end()).strip().lines().toList()) {
                Matcher criterion = CRITERION.matcher(line);
                if (!criterion.find()) {
                    break;
                }
                criteria.add(criterion.group(1).strip());
            }
        }
        return Optional.of(new JudgeRequest(Kind.RUBRIC, criteria, min, max, pieces(prompt, PIECE)));
    }

    /**
     * The texts after each marker line, found in order, each up to the next marker and the last up to the last
     * {@code === END ===} line after it (or the end of the text); stripped. A piece whose marker is missing is empty.
     */
    private static List<String> pieces(String prompt, Pattern... markers) {
        List<String> pieces = new ArrayList<>();
        int start = -1;
        for (Pattern marker : markers) {
            Matcher m = marker.matcher(prompt);
            if (!m.find(Math.max(start, 0))) {
                break;
            }
            if (start >= 0) {
                pieces.add(prompt.substring(start, m.start()).strip());
            }
            start = m.end();
        }
        if (start >= 0) {
            int last = prompt.length();
            Matcher end = END.matcher(prompt);
            for (int from = start; end.find(from); from = end.end()) {
                last = end.start();
            }
            pieces.add(prompt.substring(start, last).strip());
        }
        while (pieces.size() < markers.length) {
            pieces.add("");
        }
        return pieces;
    }

    private static Pattern marker(String line) {
        return Pattern.compile("^" + Pattern.quote(line) + "[ \\t\\r]*$", Pattern.MULTILINE);
    }
}
