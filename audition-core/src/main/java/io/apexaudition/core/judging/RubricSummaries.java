package io.apexaudition.core.judging;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rubric means per lane and criterion. The unit is the prompt: a lane's scores on one prompt (one per judge)
 * are averaged first, because two judges reading the same piece are not two independent samples of the lane;
 * the interval is then Student's t over the per-prompt means.
 */
public final class RubricSummaries {
    private RubricSummaries() {
    }

    /** Every (lane, criterion) scored, sorted by lane then criterion, with intervals at {@code confidence}. */
    public static List<CriterionSummary> summarise(Collection<RubricScore> scores, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, not " + confidence);
        }
        // lane -> criterion -> prompt -> the judges' scores
        Map<String, Map<String, Map<String, SummaryStatistics>>> grouped = new TreeMap<>();
        for (RubricScore score : scores) {
            score.scores().forEach((criterion, value) -> grouped
                    .computeIfAbsent(score.lane(), l -> new TreeMap<>())
                    .computeIfAbsent(criterion, c -> new TreeMap<>())
                    .computeIfAbsent(score.promptId(), p -> new SummaryStatistics())
                    .addValue(value));
        }
        List<CriterionSummary> summaries = new ArrayList<>();
        grouped.forEach((lane, criteria) -> criteria.forEach((criterion, prompts) -> {
            SummaryStatistics perPrompt = new SummaryStatistics();
            prompts.values().forEach(judges -> perPrompt.addValue(judges.getMean()));
            summaries.add(summary(lane, criterion, perPrompt, confidence));
        }));
        return summaries;
    }

    private static CriterionSummary summary(String lane, String criterion, SummaryStatistics values,
                                            double confidence) {
        int n = (int) values.getN();
        double mean = values.getMean();
        if (n < 2) {
            return new CriterionSummary(lane, criterion, mean, null, null, n);
        }
        // no random generator: the distribution is only inverted, never sampled, and the default one is costly
        double t = new TDistribution((RandomGenerator) null, n - 1)
                .inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double halfWidth = t * values.getStandardDeviation() / Math.sqrt(n);
        return new CriterionSummary(lane, criterion, mean, mean - halfWidth, mean + halfWidth, n);
    }
}
