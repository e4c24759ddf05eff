package io.apexaudition.core.judging;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Position bias of judges and agreement between two judges, from the same judgments the ratings use. */
public final class JudgeConsistency {
    private JudgeConsistency() {
    }

    /**
     * Position bias over all the judgments given (several judges are kept apart: a pair is in both orders only
     * when the same judge saw both). When a judge saw one order of a pair twice on a prompt, the first is used.
     */
    public static PositionBias positionBias(Collection<Judgment> judgments) {
        // (judge, prompt, pair) -> the first judgment in each order: [first lane shown first, second lane first]
        Map<List<Object>, Judgment[]> orders = new LinkedHashMap<>();
        int decisive = 0;
        int positionAWins = 0;
        for (Judgment judgment : judgments) {
            if (judgment.winner() != Winner.TIE) {
                decisive++;
                if (judgment.winner() == Winner.A) {
                    positionAWins++;
                }
            }
            LanePair pair = LanePair.of(judgment.laneA(), judgment.laneB());
            Judgment[] seen = orders.computeIfAbsent(List.of(judgment.judge(), judgment.promptId(), pair),
                    k -> new Judgment[2]);
            int order = pair.first().equals(judgment.laneA()) ? 0 : 1;
            if (seen[order] == null) {
                seen[order] = judgment;
            }
        }
        int both = 0;
        int disagreements = 0;
        for (Judgment[] seen : orders.values()) {
            if (seen[0] != null && seen[1] != null) {
                both++;
                if (!sameLane(seen[0].winningLane(), seen[1].winningLane())) {
                    disagreements++;
                }
            }
        }
        return new PositionBias(both, disagreements, rate(disagreements, both), decisive, positionAWins,
                rate(positionAWins, decisive));
    }

    /**
     * Agreement between {@code judge} and {@code otherJudge} over the (prompt, pair)s both judged. A judge's
     * verdict on a pair counts all its judgments of it on that prompt (both orders): the lane with more points
     * (a win 1, a tie 1/2) wins the pair, equal points is a tie. Kappa is over those three verdicts.
     */
    public static JudgeAgreement agreement(Collection<Judgment> judgments, String judge, String otherJudge) {
        Map<List<Object>, Double> mine = pairPoints(judgments, judge);
        Map<List<Object>, Double> theirs = pairPoints(judgments, otherJudge);
        int[][] table = new int[3][3];
        int pairs = 0;
        for (Map.Entry<List<Object>, Double> entry : mine.entrySet()) {
            Double other = theirs.get(entry.getKey());
            if (other != null) {
                table[verdict(entry.getValue())][verdict(other)]++;
                pairs++;
            }
        }
        int agreements = table[0][0] + table[1][1] + table[2][2];
        return new JudgeAgreement(judge, otherJudge, pairs, agreements, rate(agreements, pairs), kappa(table, pairs));
    }

    /** (prompt, pair) -> the pair's first lane's points minus half the judgments: above 0 it won the pair. */
    private static Map<List<Object>, Double> pairPoints(Collection<Judgment> judgments, String judge) {
        Map<List<Object>, Double> points = new HashMap<>();
        for (Judgment judgment : judgments) {
            if (!judgment.judge().equals(judge)) {
                continue;
            }
            LanePair pair = LanePair.of(judgment.laneA(), judgment.laneB());
            String winner = judgment.winningLane();
            double score = winner == null ? 0 : winner.equals(pair.first()) ? 0.5 : -0.5;
            points.merge(List.of(judgment.promptId(), pair), score, Double::sum);
        }
        return points;
    }

    private static int verdict(double points) {
        return points > 0 ? 0 : points < 0 ? 1 : 2;
    }

    private static Double kappa(int[][] table, int total) {
        if (total == 0) {
            return null;
        }
        double observed = 0;
        double chance = 0;
        for (int k = 0; k < 3; k++) {
            observed += table[k][k];
            double row = table[k][0] + table[k][1] + table[k][2];
            double column = table[0][k] + table[1][k] + table[2][k];
            chance += row / total * (column / total);
        }
        observed /= total;
        return chance >= 1 ? null : (observed - chance) / (1 - chance);
    }

    private static boolean sameLane(String lane, String other) {
        return lane == null ? other == null : lane.equals(other);
    }

    private static Double rate(int count, int total) {
        return total == 0 ? null : (double) count / total;
    }
}
