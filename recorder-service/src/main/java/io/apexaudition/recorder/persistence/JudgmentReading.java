package io.apexaudition.recorder.persistence;

import io.apexaudition.core.TextChecks;
import io.apexaudition.core.judging.JudgeAnswers;
import io.apexaudition.core.judging.PairwiseAnswer;
import io.apexaudition.core.judging.Parsed;
import io.apexaudition.core.judging.Rubric;
import io.apexaudition.core.judging.RubricAnswer;
import io.apexaudition.core.judging.Winner;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.GenerationStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@code judgments} row says, read from the judge request (its kind, criteria and scale) and the judge
 * generation's {@code generations} row as recorded (its latest attempt's status and raw answer). A pure function of
 * the two, so the row is the same whichever order the request and the answer arrived in:
 * <ul>
 *     <li>a {@code completed} generation: its answer read with {@link JudgeAnswers}: {@code judged}, or
 *     {@code unparseable} with the problem, and then the generation is to be marked an {@code error} of kind
 *     {@code unparseable_judgment} ({@link #markUnparseable});</li>
 *     <li>an {@code error} of kind {@code unparseable_judgment} (so marked earlier): {@code unparseable}, with the
 *     generation's error message as the problem;</li>
 *     <li>anything else (requested, submitted, another error, a dry run): {@code pending}, no answer read.</li>
 * </ul>
 *
 * @param status          pending, judged or unparseable
 * @param winner          pairwise: A, B or tie
 * @param margin          pairwise: 1..3, 0 for a tie
 * @param scores          rubric: the score per criterion, in the rubric's order
 * @param rationale       rubric: the judge's rationale, when it gave one
 * @param problem         unparseable: why the answer could not be read
 * @param markUnparseable whether the generation, recorded {@code completed}, is to become an {@code error}
 */
record JudgmentReading(String status, String winner, Integer margin, Map<String, Double> scores, String rationale,
                       String problem, boolean markUnparseable) {
    static final String PENDING = "pending";
    static final String JUDGED = "judged";
    static final String UNPARSEABLE = "unparseable";
    static final String UNPARSEABLE_KIND = ErrorKind.UNPARSEABLE_JUDGMENT.name().toLowerCase(Locale.ROOT);
    private static final int MAX_PROBLEM_CHARS = 500;

    static JudgmentReading pending() {
        return new JudgmentReading(PENDING, null, null, null, null, null, false);
    }

    /**
     * @param kind             the judge request's kind ({@code rubric} or {@code pairwise}), as stored
     * @param criteria         the rubric's criteria (rubric only)
     * @param scaleMin         the rubric's scale (rubric only)
     * @param generationStatus the judge generation's recorded status
     * @param output           its raw answer, as stored
     */
    static JudgmentReading of(String kind, List<String> criteria, Integer scaleMin, Integer scaleMax,
                              String generationStatus, String errorKind, String errorMessage, String output) {
        if (GenerationStatus.ERROR.dbValue().equals(generationStatus) && UNPARSEABLE_KIND.equals(errorKind)) {
            return unparseable(errorMessage == null ? "the judge's answer could not be read" : errorMessage, false);
        }
        if (!GenerationStatus.COMPLETED.dbValue().equals(generationStatus)) {
            return pending();
        }
        if ("pairwise".equals(kind)) {
            Parsed<PairwiseAnswer> parsed = JudgeAnswers.pairwise(output);
            if (!parsed.parsed()) {
                return unparseable(parsed.problem(), true);
            }
            PairwiseAnswer answer = parsed.value();
            return new JudgmentReading(JUDGED, answer.winner() == Winner.TIE ? "tie" : answer.winner().name(),
                    answer.margin(), null, null, null, false);
        }
        Rubric rubric;
        try {
            rubric = new Rubric(criteria, scaleMin == null ? 0 : scaleMin, scaleMax == null ? 0 : scaleMax);
        } catch (IllegalArgumentException | NullPointerException e) {
            // the planner refuses such a rubric; a request written by anything else is recorded, not stuck
            return unparseable("the judge request's rubric cannot score an answer: " + e.getMessage(), true);
        }
        Parsed<RubricAnswer> parsed = JudgeAnswers.rubric(output, rubric);
        if (!parsed.parsed()) {
            return unparseable(parsed.problem(), true);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String criterion : rubric.criteria()) {
            scores.put(criterion, parsed.value().scores().get(criterion));
        }
        return new JudgmentReading(JUDGED, null, null, scores, parsed.value().rationale(), null, false);
    }

    private static JudgmentReading unparseable(String problem, boolean mark) {
        return new JudgmentReading(UNPARSEABLE, null, null, null, null,
                TextChecks.printable(problem, MAX_PROBLEM_CHARS), mark);
    }

    /** The scores as the {@code scores} jsonb holds them: whole scores as integers ({"imagery": 8}). */
    Map<String, Number> scoresForJson() {
        if (scores == null) {
            return null;
        }
        Map<String, Number> json = new LinkedHashMap<>();
        scores.forEach((criterion, score) -> json.put(criterion,
                score == Math.rint(score) && Math.abs(score) < 1e15 ? (Number) (long) (double) score : score));
        return json;
    }
}
