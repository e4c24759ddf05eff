package io.apexaudition.viewer.domain;

import io.apexaudition.core.judging.Judgment;
import io.apexaudition.core.judging.Winner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Readers' verdicts read as the judgments of one more judge, {@value #NAME}, the way {@code apex leaderboard} reads
 * them (docs/judging.md, "People's verdicts"): a pairwise verdict is a judgment in the order its two outputs were
 * shown, a decisive one with margin 1 (the viewer asks for no margin); a ranking is every pair of it, the better
 * ranked winning, with no presentation order (it counts for ratings, records, the matrix and agreement, not for
 * position bias). Two outputs of one lane say nothing about lanes, and an output whose lane is not recorded (yet)
 * cannot be placed: both are left out.
 *
 * @param ordered   pairwise verdicts, in the order shown
 * @param unordered the pairs of rankings
 */
public record HumanJudge(List<Judgment> ordered, List<Judgment> unordered) {
    /** The judge name of a person's verdicts. */
    public static final String NAME = "human";

    public HumanJudge {
        ordered = List.copyOf(ordered);
        unordered = List.copyOf(unordered);
    }

    /**
     * One verdict as the table holds it: its prompt, its kind ({@code pairwise} or {@code ranking}), the two
     * generations and the winner ({@code a}, {@code b} or {@code tie}) of a pairwise one, the generations best first
     * of a ranking.
     */
    public record Verdict(String promptId, String kind, String generationA, String generationB, String winner,
            List<String> ranking) {
        public Verdict {
            ranking = ranking == null ? List.of() : List.copyOf(ranking);
        }
    }

    /** The judgments of {@code verdicts}, with {@code laneOf} the lane of each generation recorded. */
    public static HumanJudge of(List<Verdict> verdicts, Map<String, String> laneOf) {
        List<Judgment> ordered = new ArrayList<>();
        List<Judgment> unordered = new ArrayList<>();
        for (Verdict verdict : verdicts) {
            if ("pairwise".equals(verdict.kind())) {
                String shownFirst = laneOf.get(verdict.generationA());
                String shownSecond = laneOf.get(verdict.generationB());
                Winner winner = winner(verdict.winner());
                if (apart(shownFirst, shownSecond) && winner != null) {
                    ordered.add(new Judgment(verdict.promptId(), NAME, shownFirst, shownSecond, winner,
                            winner == Winner.TIE ? 0 : 1));
                }
            } else if ("ranking".equals(verdict.kind())) {
                List<String> best = verdict.ranking().stream().map(g -> g == null ? null : laneOf.get(g)).toList();
                for (int above = 0; above < best.size(); above++) {
                    for (int below = above + 1; below < best.size(); below++) {
                        if (apart(best.get(above), best.get(below))) {
                            unordered.add(new Judgment(verdict.promptId(), NAME, best.get(above), best.get(below),
                                    Winner.A, 1));
                        }
                    }
                }
            }
        }
        return new HumanJudge(ordered, unordered);
    }

    /** A winner as the tables write it ({@code a}, {@code b} or {@code tie}, any case); null for anything else. */
    public static Winner winner(String text) {
        if (text == null) {
            return null;
        }
        for (Winner w : Winner.values()) {
            if (w.name().equalsIgnoreCase(text.strip())) {
                return w;
            }
        }
        return null;
    }

    private static boolean apart(String lane, String other) {
        return lane != null && other != null && !lane.equals(other);
    }
}
