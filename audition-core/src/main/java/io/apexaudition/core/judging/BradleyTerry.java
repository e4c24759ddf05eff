package io.apexaudition.core.judging;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Bradley–Terry ratings from pairwise judgments: P(i beats j) = s_i / (s_i + s_j).
 *
 * <ul>
 *   <li><b>Outcomes.</b> Each judgment is one comparison; a tie is half a win to each lane. The margin is not
 *   used: judges use the margin scale differently, and counting a decisive win as three would claim three
 *   independent comparisons where there is one piece of evidence. Margins belong in the win-margin matrix.</li>
 *   <li><b>Fit.</b> Maximum likelihood by Newton's method, with a prior: every lane also plays {@code prior}
 *   wins and {@code prior} losses against a virtual lane of strength 1 (the dummy-player prior of Hunter 2004).
 *   It keeps a lane that always wins (or never does) finite and a disconnected graph solvable, and it is tiny
 *   beside a lane's hundreds of comparisons.</li>
 *   <li><b>Scale.</b> Elo-like: {@code 400 * log10(s)}, centred so the rated lanes average 0. A difference of
 *   400 points is 10 to 1 odds, 0 is even, and a difference d gives P(win) = 1 / (1 + 10^(-d/400)).</li>
 *   <li><b>Intervals.</b> Bootstrap over prompts: prompts (not judgments) are resampled with replacement,
 *   because the judgments of one prompt share its pieces and are not independent; each resample is refitted and
 *   centred, and the interval is the percentile interval of a lane's ratings. Seeded, so a replay gives the
 *   same intervals.</li>
 * </ul>
 */
public final class BradleyTerry {
    /** Pseudo-wins and pseudo-losses each lane plays against a virtual average lane. */
    public static final double DEFAULT_PRIOR = 0.1;
    private static final double ELO = 400 / Math.log(10);
    private static final double TOLERANCE = 1e-10;
    private static final int MAX_ITERATIONS = 200;

    /** How to fit and how many bootstrap resamples to draw for an interval of the given confidence. */
    public record Options(double prior, int replicates, double confidence) {
        public static final Options DEFAULT = new Options(DEFAULT_PRIOR, 1000, 0.95);

        public Options {
            requirePrior(prior);
            if (replicates < 0) {
                throw new IllegalArgumentException("replicates must be 0 (no intervals) or more, not " + replicates);
            }
            if (!(confidence > 0 && confidence < 1)) {
                throw new IllegalArgumentException("confidence must be between 0 and 1, not " + confidence);
            }
        }
    }

    private BradleyTerry() {
    }

    /** The ratings of every lane judged, by lane, with the default prior and no interval. */
    public static Map<String, Double> fit(Collection<Judgment> judgments) {
        return fit(judgments, DEFAULT_PRIOR);
    }

    /** The ratings of every lane judged, by lane (sorted), fitted with {@code prior}. */
    public static Map<String, Double> fit(Collection<Judgment> judgments, double prior) {
        requirePrior(prior);
        Tally tally = new Tally(judgments);
        double[] ratings = tally.fit(tally.total(), prior);
        Map<String, Double> byLane = new LinkedHashMap<>();
        for (int i = 0; i < tally.lanes.size(); i++) {
            byLane.put(tally.lanes.get(i), ratings[i]);
        }
        return byLane;
    }

    /**
     * Every lane judged, best first (equal ratings by lane), with its interval from {@code options.replicates()}
     * resamples of the prompts drawn with {@code seed}. A lane missing from a resample (none of its prompts was
     * drawn) has no rating in it; its interval comes from the resamples it is in.
     */
    public static List<LaneRating> rate(Collection<Judgment> judgments, Options options, String seed) {
        Tally tally = new Tally(judgments);
        int lanes = tally.lanes.size();
        double[] ratings = tally.fit(tally.total(), options.prior());
        List<List<Double>> resampled = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            resampled.add(new ArrayList<>(options.replicates()));
        }
        Random random = Seeds.random(seed);
        int prompts = tally.byPrompt.size();
        for (int r = 0; r < options.replicates() && prompts > 0; r++) {
            double[][] wins = new double[lanes][lanes];
            for (int p = 0; p < prompts; p++) {
                add(wins, tally.byPrompt.get(random.nextInt(prompts)));
            }
            double[] replicate = tally.fit(wins, options.prior());
            for (int i = 0; i < lanes; i++) {
                if (!Double.isNaN(replicate[i])) {
                    resampled.get(i).add(replicate[i]);
                }
            }
        }
        double tail = (1 - options.confidence()) / 2 * 100;
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        List<LaneRating> rated = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            double[] values = resampled.get(i).stream().mapToDouble(Double::doubleValue).toArray();
            Double lower = values.length == 0 ? null : percentile.evaluate(values, tail);
            Double upper = values.length == 0 ? null : percentile.evaluate(values, 100 - tail);
            int[] record = tally.record.get(tally.lanes.get(i));
            rated.add(new LaneRating(tally.lanes.get(i), ratings[i], lower, upper, record[0], record[1], record[2]));
        }
        rated.sort(Comparator.comparingDouble(LaneRating::rating).reversed().thenComparing(LaneRating::lane));
        return rated;
    }

    private static void requirePrior(double prior) {
        if (!(prior > 0) || Double.isInfinite(prior)) {
            throw new IllegalArgumentException("the prior must be a positive number of pseudo-games, not " + prior);
        }
    }

    private static void add(double[][] into, double[][] wins) {
        for (int i = 0; i < wins.length; i++) {
            for (int j = 0; j < wins.length; j++) {
                into[i][j] += wins[i][j];
            }
        }
    }

    /** The judgments as win matrices per prompt: wins[i][j] is how often lane i beat lane j, ties counting half. */
    private static final class Tally {
        final List<String> lanes;
        final List<double[][]> byPrompt = new ArrayList<>();
        final Map<String, int[]> record = new TreeMap<>();

        Tally(Collection<Judgment> judgments) {
            TreeSet<String> names = new TreeSet<>();
            for (Judgment judgment : judgments) {
                names.add(judgment.laneA());
                names.add(judgment.laneB());
            }
            lanes = List.copyOf(names);
            Map<String, Integer> index = new TreeMap<>();
            for (String lane : lanes) {
                index.put(lane, index.size());
                record.put(lane, new int[3]);
            }
            Map<String, double[][]> prompts = new TreeMap<>();
            for (Judgment judgment : judgments) {
                double[][] wins = prompts.computeIfAbsent(judgment.promptId(),
                        p -> new double[lanes.size()][lanes.size()]);
                int a = index.get(judgment.laneA());
                int b = index.get(judgment.laneB());
                switch (judgment.winner()) {
                    case A -> {
                        wins[a][b] += 1;
                        record.get(judgment.laneA())[0]++;
                        record.get(judgment.laneB())[1]++;
                    }
                    case B -> {
                        wins[b][a] += 1;
                        record.get(judgment.laneB())[0]++;
                        record.get(judgment.laneA())[1]++;
                    }
                    case TIE -> {
                        wins[a][b] += 0.5;
                        wins[b][a] += 0.5;
                        record.get(judgment.laneA())[2]++;
                        record.get(judgment.laneB())[2]++;
                    }
                }
            }
            byPrompt.addAll(prompts.values());
        }

        double[][] total() {
            double[][] wins = new double[lanes.size()][lanes.size()];
            for (double[][] prompt : byPrompt) {
                add(wins, prompt);
            }
            return wins;
        }

        /**
         * Ratings on the Elo-like scale, centred over the lanes that played; NaN for a lane without a comparison
         * in {@code wins} (the prior alone would rate it, at a value that means nothing).
         */
        double[] fit(double[][] wins, double prior) {
            int n = wins.length;
            double[] won = new double[n];
            double[][] games = new double[n][n];
            boolean[] played = new boolean[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    won[i] += wins[i][j];
                    games[i][j] = wins[i][j] + wins[j][i];
                    played[i] |= games[i][j] > 0;
                }
            }
            double[] theta = maximise(won, games, prior);
            double sum = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (played[i]) {
                    sum += theta[i];
                    count++;
                }
            }
            double mean = count == 0 ? 0 : sum / count;
            double[] ratings = new double[n];
            for (int i = 0; i < n; i++) {
                ratings[i] = played[i] ? ELO * (theta[i] - mean) : Double.NaN;
            }
            return ratings;
        }
    }

    /**
     * The log-strengths that maximise the penalised log-likelihood, by Newton's method with step halving. The
     * prior's games against the virtual lane make the function strictly concave, so the maximum is unique and
     * Newton converges in a handful of steps where Hunter's MM iteration takes thousands when a lane dominates.
     */
    private static double[] maximise(double[] won, double[][] games, double prior) {
        int n = won.length;
        double[] theta = new double[n];
        if (n == 0) {
            return theta;
        }
        double current = logLikelihood(theta, won, games, prior);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[n];
            double[][] curvature = new double[n][n];
            for (int i = 0; i < n; i++) {
                double virtual = sigmoid(theta[i]);
                gradient[i] = won[i] + prior - 2 * prior * virtual;
                curvature[i][i] = 2 * prior * virtual * (1 - virtual);
                for (int j = 0; j < n; j++) {
                    if (j != i && games[i][j] > 0) {
                        double p = sigmoid(theta[i] - theta[j]);
                        gradient[i] -= games[i][j] * p;
                        curvature[i][i] += games[i][j] * p * (1 - p);
                        curvature[i][j] = -games[i][j] * p * (1 - p);
                    }
                }
            }
            // the negated Hessian is symmetric positive definite: the Newton step solves it against the gradient
            RealVector step = new LUDecomposition(new Array2DRowRealMatrix(curvature, false)).getSolver()
                    .solve(new ArrayRealVector(gradient, false));
            double scale = 1;
            double[] next = new double[n];
            double candidate;
            do {
                for (int i = 0; i < n; i++) {
                    next[i] = theta[i] + scale * step.getEntry(i);
                }
                candidate = logLikelihood(next, won, games, prior);
                scale /= 2;
            } while (candidate < current && scale > 1e-9);
            double moved = step.getLInfNorm() * scale * 2;
            theta = next;
            current = candidate;
            if (moved < TOLERANCE) {
                break;
            }
        }
        return theta;
    }

    private static double logLikelihood(double[] theta, double[] won, double[][] games, double prior) {
        double total = 0;
        for (int i = 0; i < theta.length; i++) {
            total += (won[i] + prior) * theta[i] - 2 * prior * logOnePlusExp(theta[i]);
            for (int j = i + 1; j < theta.length; j++) {
                if (games[i][j] > 0) {
                    // log(e^a + e^b) = b + log(1 + e^(a-b)): the pair's share of the normaliser, without overflow
                    total -= games[i][j] * (theta[j] + logOnePlusExp(theta[i] - theta[j]));
                }
            }
        }
        return total;
    }

    private static double logOnePlusExp(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
