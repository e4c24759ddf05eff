package io.apexaudition.core.judging;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leaderboard of one audition: every lane ranked by its Bradley–Terry rating with its interval, beside its rubric
 * means, its writing diagnostics and what it cost; a win-margin matrix between the lanes; how consistent the judges
 * were; and what judging cost, apart from what generating cost. Plain Java over plain inputs (the CLI and the viewer
 * read them from {@code apex_audition}), deterministic for a given seed.
 *
 * <ul>
 *   <li><b>Ranking.</b> By rating, best first, when any lane was judged pairwise (lanes without a rating follow,
 *   unranked); by the rubric's overall mean when no lane was (a rubric-only pass); lanes with neither come last,
 *   unranked, by name.</li>
 *   <li><b>Pooling.</b> Every judge's pairwise judgments (judge lanes and the human) are fitted together: a human
 *   verdict is one more judgment, not the truth. Judgments without a presentation order (a human ranking, read as
 *   pairs) count for ratings, records, the matrix and agreement, but not for position bias.</li>
 *   <li><b>Rubric.</b> {@link RubricSummaries}: per criterion, and "overall", the mean of a score's criteria, each
 *   a mean over prompts with a t interval.</li>
 *   <li><b>Cost per rating point.</b> A lane's generation cost (USD, its outputs in the judged run) per
 *   {@value #POINTS} rating points above the lowest-rated lane: {@code cost * 100 / (rating - lowest rating)}. What it
 *   costs to buy quality above the floor the cheapest choice gives; none for the lowest lane (no points above
 *   itself) or a lane without a rating or a cost.</li>
 *   <li><b>Matrix.</b> Row lane against column lane over every judgment between them, in either position: the win
 *   share (wins plus half the ties, over the comparisons) and the mean signed margin (+margin when the row lane won,
 *   -margin when it lost, 0 for a tie).</li>
 * </ul>
 */
public record Leaderboard(RankedBy rankedBy, List<Row> rows, List<String> criteria, List<Cell> matrix,
                          List<JudgeSummary> judges, PositionBias positionBias, List<JudgeAgreement> agreements,
                          Costs costs) {

    /** Rating points per unit of {@link Row#costPer100Points()}. */
    public static final int POINTS = 100;
    /** The rubric column that averages a score's criteria. */
    public static final String OVERALL = "overall";

    /** What the rows are ranked by. */
    public enum RankedBy {
        /** Bradley–Terry rating from pairwise judgments. */
        RATING,
        /** The rubric's overall mean: no lane was judged pairwise. */
        RUBRIC,
        /** Nothing judged: the lanes by name, unranked. */
        NONE
    }

    /** What can be measured of a lane's outputs without a judge; a mean is null when no output has the value. */
    public record Diagnostics(int outputs, Double meanWords, Double meanLengthRatio, Double meanRepetition,
                              int refusals) {
    }

    /**
     * What the leaderboard is built from. The judge of a judgment or a score is its judge lane's slug, or the human.
     *
     * @param judgments          pairwise judgments, each with the order its pieces were shown in
     * @param unorderedJudgments pairwise outcomes without a presentation order (a human ranking, read as pairs)
     * @param rubricScores       rubric scores
     * @param criteria           the rubric's criteria in the rubric's order (empty: the criteria scored, by name)
     * @param diagnostics        lane -> its outputs' diagnostics
     * @param generationCost     lane -> what its outputs in the judged run cost, USD
     * @param judgingCost        judge (lane slug) -> what its judge requests cost, USD
     */
    public record Input(List<Judgment> judgments, List<Judgment> unorderedJudgments, List<RubricScore> rubricScores,
                        List<String> criteria, Map<String, Diagnostics> diagnostics,
                        Map<String, BigDecimal> generationCost, Map<String, BigDecimal> judgingCost) {
        public Input {
            judgments = judgments == null ? List.of() : List.copyOf(judgments);
            unorderedJudgments = unorderedJudgments == null ? List.of() : List.copyOf(unorderedJudgments);
            rubricScores = rubricScores == null ? List.of() : List.copyOf(rubricScores);
            criteria = criteria == null ? List.of() : List.copyOf(criteria);
            diagnostics = diagnostics == null ? Map.of() : Map.copyOf(diagnostics);
            generationCost = generationCost == null ? Map.of() : Map.copyOf(generationCost);
            judgingCost = judgingCost == null ? Map.of() : Map.copyOf(judgingCost);
        }
    }

    /**
     * One lane.
     *
     * @param rank             1 for the best; null for a lane outside the ranking (see {@link Leaderboard})
     * @param rating           its rating, interval and record (null: never judged pairwise)
     * @param overall          its rubric overall mean (null: never scored)
     * @param rubric           criterion -> its mean and interval
     * @param diagnostics      its outputs' diagnostics (null: none given)
     * @param costUsd          what its outputs cost (null: not given)
     * @param costPer100Points costUsd per {@value #POINTS} rating points above the lowest-rated lane (null: see above)
     */
    public record Row(Integer rank, String lane, LaneRating rating, CriterionSummary overall,
                      Map<String, CriterionSummary> rubric, Diagnostics diagnostics, BigDecimal costUsd,
                      BigDecimal costPer100Points) {
        public Row {
            rubric = rubric == null ? Map.of() : Map.copyOf(rubric);
        }
    }

    /**
     * Lane {@code lane} against lane {@code opponent}, over the {@code comparisons} judgments between them.
     *
     * @param winShare   (wins + ties / 2) / comparisons, from the row lane's side
     * @param meanMargin the mean of +margin (won), -margin (lost) and 0 (tie)
     */
    public record Cell(String lane, String opponent, int comparisons, int wins, int losses, int ties,
                       double winShare, double meanMargin) {
    }

    /** One judge: its pairwise judgments and rubric scores, and its position bias (null: nothing shown in order). */
    public record JudgeSummary(String judge, int pairwise, int rubric, PositionBias positionBias) {
    }

    /** Generation cost (the judged run's outputs) and judging cost, kept apart; judging per judge lane. */
    public record Costs(BigDecimal generationUsd, BigDecimal judgingUsd, Map<String, BigDecimal> judgingByJudge) {
    }

    public Leaderboard {
        rows = List.copyOf(rows);
        criteria = List.copyOf(criteria);
        matrix = List.copyOf(matrix);
        judges = List.copyOf(judges);
        agreements = List.copyOf(agreements);
    }

    /** The leaderboard of {@code input}, rating intervals from {@code options} drawn with {@code seed}. */
    public static Leaderboard build(Input input, BradleyTerry.Options options, String seed) {
        List<Judgment> pairwise = new ArrayList<>(input.judgments());
        pairwise.addAll(input.unorderedJudgments());
        Map<String, LaneRating> ratings = new LinkedHashMap<>();
        for (LaneRating rating : BradleyTerry.rate(pairwise, options, seed)) {
            ratings.put(rating.lane(), rating);
        }
        Map<String, Map<String, CriterionSummary>> rubric = new TreeMap<>();
        for (CriterionSummary s : RubricSummaries.summarise(input.rubricScores(), options.confidence())) {
            rubric.computeIfAbsent(s.lane(), l -> new TreeMap<>()).put(s.criterion(), s);
        }
        Map<String, CriterionSummary> overall = new TreeMap<>();
        for (CriterionSummary s : RubricSummaries.summarise(overallScores(input.rubricScores()),
                options.confidence())) {
            overall.put(s.lane(), s);
        }
        RankedBy rankedBy = !ratings.isEmpty() ? RankedBy.RATING : !overall.isEmpty() ? RankedBy.RUBRIC
                : RankedBy.NONE;
        List<String> order = order(rankedBy, ratings, overall, allLanes(input, ratings, rubric));
        Double lowest = ratings.values().stream().map(LaneRating::rating).min(Double::compare).orElse(null);
        List<Row> rows = new ArrayList<>();
        int rank = 0;
        for (String lane : order) {
            LaneRating rating = ratings.get(lane);
            boolean ranked = rankedBy == RankedBy.RATING ? rating != null
                    : rankedBy == RankedBy.RUBRIC && overall.containsKey(lane);
            BigDecimal cost = input.generationCost().get(lane);
            rows.add(new Row(ranked ? ++rank : null, lane, rating, overall.get(lane), rubric.get(lane),
                    input.diagnostics().get(lane), cost, costPerPoints(cost, rating, lowest)));
        }
        List<String> matrixLanes = order.stream().filter(ratings::containsKey).toList();
        return new Leaderboard(rankedBy, rows, criteria(input), matrix(pairwise, matrixLanes),
                judges(input), JudgeConsistency.positionBias(input.judgments()), agreements(pairwise),
                costs(input));
    }

    /** The cell of {@code lane} against {@code opponent}, when they met. */
    public Optional<Cell> cell(String lane, String opponent) {
        return matrix.stream().filter(c -> c.lane().equals(lane) && c.opponent().equals(opponent)).findFirst();
    }

    /** The lanes of the matrix, in ranking order: those judged pairwise. */
    public List<String> matrixLanes() {
        return rows.stream().filter(r -> r.rating() != null).map(Row::lane).toList();
    }

    /** The row of a lane. */
    public Optional<Row> row(String lane) {
        return rows.stream().filter(r -> r.lane().equals(lane)).findFirst();
    }

    /** Each score's criteria averaged: one "overall" score per (prompt, judge, lane). */
    private static List<RubricScore> overallScores(Collection<RubricScore> scores) {
        List<RubricScore> overall = new ArrayList<>();
        for (RubricScore score : scores) {
            if (!score.scores().isEmpty()) {
                double mean = score.scores().values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
                overall.add(new RubricScore(score.promptId(), score.judge(), score.lane(), Map.of(OVERALL, mean)));
            }
        }
        return overall;
    }

    private static Set<String> allLanes(Input input, Map<String, LaneRating> ratings,
                                        Map<String, Map<String, CriterionSummary>> rubric) {
        Set<String> lanes = new TreeSet<>(ratings.keySet());
        lanes.addAll(rubric.keySet());
        lanes.addAll(input.diagnostics().keySet());
        lanes.addAll(input.generationCost().keySet());
        return lanes;
    }

    private static List<String> order(RankedBy rankedBy, Map<String, LaneRating> ratings,
                                      Map<String, CriterionSummary> overall, Set<String> lanes) {
        // ratings come best first already; then the rubric's overall mean, best first; then the rest by name
        LinkedHashSet<String> order = new LinkedHashSet<>(ratings.keySet());
        overall.values().stream()
                .sorted(Comparator.comparingDouble(CriterionSummary::mean).reversed()
                        .thenComparing(CriterionSummary::lane))
                .forEach(s -> order.add(s.lane()));
        order.addAll(lanes);
        return List.copyOf(order);
    }

    private static BigDecimal costPerPoints(BigDecimal cost, LaneRating rating, Double lowest) {
        if (cost == null || rating == null || lowest == null) {
            return null;
        }
        double points = rating.rating() - lowest;
        if (!(points > 1e-9)) {
            return null;
        }
        return cost.multiply(BigDecimal.valueOf(POINTS)).divide(BigDecimal.valueOf(points), 6, RoundingMode.HALF_UP);
    }

    private static List<String> criteria(Input input) {
        Set<String> scored = new TreeSet<>();
        input.rubricScores().forEach(s -> scored.addAll(s.scores().keySet()));
        List<String> criteria = new ArrayList<>(input.criteria().stream().filter(scored::contains).toList());
        scored.stream().filter(c -> !criteria.contains(c)).forEach(criteria::add);
        return criteria;
    }

    private static List<Cell> matrix(List<Judgment> judgments, List<String> lanes) {
        // (lane, opponent) -> [wins, losses, ties, signed margin sum]
        Map<List<String>, int[]> tally = new HashMap<>();
        for (Judgment j : judgments) {
            String winner = j.winningLane();
            int margin = Math.abs(j.margin());
            count(tally, j.laneA(), j.laneB(), winner, margin);
            count(tally, j.laneB(), j.laneA(), winner, margin);
        }
        List<Cell> cells = new ArrayList<>();
        for (String lane : lanes) {
            for (String opponent : lanes) {
                int[] t = tally.get(List.of(lane, opponent));
                if (t != null) {
                    int n = t[0] + t[1] + t[2];
                    cells.add(new Cell(lane, opponent, n, t[0], t[1], t[2], (t[0] + t[2] / 2.0) / n,
                            (double) t[3] / n));
                }
            }
        }
        return cells;
    }

    private static void count(Map<List<String>, int[]> tally, String lane, String opponent, String winner,
                              int margin) {
        int[] t = tally.computeIfAbsent(List.of(lane, opponent), k -> new int[4]);
        if (winner == null) {
            t[2]++;
        } else if (winner.equals(lane)) {
            t[0]++;
            t[3] += margin;
        } else {
            t[1]++;
            t[3] -= margin;
        }
    }

    private static List<JudgeSummary> judges(Input input) {
        Map<String, int[]> counts = new TreeMap<>();
        input.judgments().forEach(j -> counts.computeIfAbsent(j.judge(), k -> new int[2])[0]++);
        input.unorderedJudgments().forEach(j -> counts.computeIfAbsent(j.judge(), k -> new int[2])[0]++);
        input.rubricScores().forEach(s -> counts.computeIfAbsent(s.judge(), k -> new int[2])[1]++);
        List<JudgeSummary> judges = new ArrayList<>();
        counts.forEach((judge, n) -> {
            List<Judgment> ordered = input.judgments().stream().filter(j -> j.judge().equals(judge)).toList();
            judges.add(new JudgeSummary(judge, n[0], n[1],
                    ordered.isEmpty() ? null : JudgeConsistency.positionBias(ordered)));
        });
        return judges;
    }

    /** Every two judges that judged at least one (prompt, pair) in common, by name. */
    private static List<JudgeAgreement> agreements(List<Judgment> judgments) {
        List<String> names = judgments.stream().map(Judgment::judge).distinct().sorted().toList();
        List<JudgeAgreement> agreements = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (int k = i + 1; k < names.size(); k++) {
                JudgeAgreement a = JudgeConsistency.agreement(judgments, names.get(i), names.get(k));
                if (a.pairs() > 0) {
                    agreements.add(a);
                }
            }
        }
        return agreements;
    }

    private static Costs costs(Input input) {
        Map<String, BigDecimal> byJudge = new TreeMap<>();
        input.judgingCost().forEach((judge, cost) -> byJudge.put(judge, Objects.requireNonNull(cost, judge)));
        return new Costs(sum(input.generationCost().values()), sum(byJudge.values()), byJudge);
    }

    private static BigDecimal sum(Collection<BigDecimal> values) {
        return values.stream().filter(Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
