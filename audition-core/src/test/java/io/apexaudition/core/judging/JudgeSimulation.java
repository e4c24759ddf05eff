package io.apexaudition.core.judging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated judge for the recovery tests: each lane has a hidden quality (a log-strength), each piece varies
 * around it by prompt, and the judge prefers the piece shown first by {@code positionBias} (log-odds).
 */
record JudgeSimulation(Map<String, Double> quality, double pieceNoise, double positionBias, double tieRate) {

    /**
     * The judgments of {@code judge} on {@code prompts} prompts, each with its own sparse schedule of
     * {@code degree}: every pair in both orders, or (one order only) with the pair's first lane by name always in
     * position A, as a schedule that forgot to swap would do.
     */
    List<Judgment> judge(String judge, int prompts, int degree, boolean bothOrders, long seed) {
        Random random = new Random(seed);
        List<Judgment> judgments = new ArrayList<>();
        for (int p = 1; p <= prompts; p++) {
            String prompt = String.format("p%02d", p);
            Map<String, Double> piece = new HashMap<>();
            quality.forEach((lane, q) -> piece.put(lane, q + pieceNoise * random.nextGaussian()));
            for (LanePair pair : PairSchedule.plan(quality.keySet(), degree, PairSchedule.seed("sim", prompt))) {
                List<Matchup> shown = bothOrders ? pair.orders() : List.of(pair.orders().get(0));
                for (Matchup matchup : shown) {
                    judgments.add(new Judgment(prompt, judge, matchup.laneA(), matchup.laneB(),
                            verdict(piece.get(matchup.laneA()) - piece.get(matchup.laneB()), random), 2));
                }
            }
        }
        return judgments;
    }

    private Winner verdict(double advantageOfA, Random random) {
        if (random.nextDouble() < tieRate) {
            return Winner.TIE;
        }
        double pA = 1 / (1 + Math.exp(-(advantageOfA + positionBias)));
        return random.nextDouble() < pA ? Winner.A : Winner.B;
    }
}
