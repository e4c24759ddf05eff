package io.apexaudition.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.core.judging.Judgment;
import io.apexaudition.core.judging.Leaderboard;
import io.apexaudition.core.judging.RubricScore;
import io.apexaudition.core.judging.Winner;
import io.apexaudition.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads what a leaderboard is built from out of {@code apex_audition}: the judged rows of {@code judgments} (all the
 * judging passes over a run, or one), the people's verdicts ({@code verdicts}, when that table exists: the judge
 * {@value #HUMAN}), the writing diagnostics and the cost of the run's outputs per lane, and the cost of the judging
 * runs per judge lane.
 */
final class LeaderboardReader {
    /** The judge name of a person's verdicts from the viewer. */
    static final String HUMAN = "human";

    private LeaderboardReader() {
    }

    /**
     * Which judgments a leaderboard reads.
     *
     * @param sourceRunId  the run whose outputs were judged
     * @param judgingRuns  the judging runs read (all of the source run's, or the one asked for)
     * @param onlyOne      whether one judging run was asked for
     */
    record Scope(String sourceRunId, List<String> judgingRuns, boolean onlyOne) {
    }

    /** Counts of judgments by status in the scope: answered, not answered yet, unreadable answers. */
    record Status(int judged, int pending, int unparseable) {
    }

    /**
     * The scope of {@code runId}: the run's own judging passes, or, when {@code runId} is itself a judging run, its
     * source run read through that pass alone. Empty when the run is recorded neither as a run nor as judged.
     */
    static Optional<Scope> scope(Connection c, String runId, String judgingRun) throws SQLException {
        if (judgingRun != null) {
            List<String> sources = strings(c, "SELECT DISTINCT source_run_id FROM apex_audition.judgments "
                    + "WHERE run_id = ?", judgingRun);
            if (!sources.isEmpty() && !sources.contains(runId)) {
                throw new JudgePass.Problem("judging run '" + judgingRun + "' judged run " + sources.get(0) + ", not "
                        + runId + ": run 'apex leaderboard " + sources.get(0) + " --judging-run " + judgingRun + "'");
            }
            return Optional.of(new Scope(runId, List.of(judgingRun), true));
        }
        List<String> passes = strings(c, "SELECT DISTINCT run_id FROM apex_audition.judgments WHERE source_run_id = ? "
                + "ORDER BY run_id", runId);
        if (!passes.isEmpty()) {
            return Optional.of(new Scope(runId, passes, false));
        }
        List<String> sources = strings(c, "SELECT DISTINCT source_run_id FROM apex_audition.judgments "
                + "WHERE run_id = ?", runId);
        if (sources.size() == 1) {
            return Optional.of(new Scope(sources.get(0), List.of(runId), true));
        }
        boolean recorded = !strings(c, "SELECT id FROM apex_audition.runs WHERE id = ?", runId).isEmpty()
                || !strings(c, "SELECT run_id FROM apex_audition.generations WHERE run_id = ? LIMIT 1", runId)
                .isEmpty();
        return recorded ? Optional.of(new Scope(runId, List.of(), false)) : Optional.empty();
    }

    static Status status(Connection c, Scope scope) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT status, count(*) FROM apex_audition.judgments "
                + "WHERE source_run_id = ? AND run_id = ANY (?) GROUP BY status")) {
            p.setString(1, scope.sourceRunId());
            p.setArray(2, c.createArrayOf("text", scope.judgingRuns().toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return new Status(counts.getOrDefault("judged", 0), counts.getOrDefault("pending", 0),
                counts.getOrDefault("unparseable", 0));
    }

    /** Everything the leaderboard of the scope is built from; people's verdicts only with {@code human}. */
    static Leaderboard.Input input(Connection c, Scope scope, boolean human) throws SQLException {
        List<Judgment> judgments = new ArrayList<>();
        List<RubricScore> scores = new ArrayList<>();
        List<String> criteria = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT kind, judge_lane_id, prompt_id, lane_a, lane_b, winner, margin, scores::text, criteria
                FROM apex_audition.judgments
                WHERE source_run_id = ? AND run_id = ANY (?) AND status = 'judged'
                ORDER BY generation_id""")) {
            p.setString(1, scope.sourceRunId());
            p.setArray(2, c.createArrayOf("text", scope.judgingRuns().toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if ("pairwise".equals(rs.getString(1))) {
                        String laneA = rs.getString(4);
                        String laneB = rs.getString(5);
                        Optional<Winner> winner = winner(rs.getString(6));
                        if (winner.isPresent() && laneA != null && laneB != null && !laneA.equals(laneB)) {
                            judgments.add(new Judgment(rs.getString(3), rs.getString(2), laneA, laneB, winner.get(),
                                    winner.get() == Winner.TIE ? 0 : Math.max(0, rs.getInt(7))));
                        }
                    } else if (rs.getString(8) != null) {
                        scores.add(new RubricScore(rs.getString(3), rs.getString(2), rs.getString(4),
                                scores(rs.getString(8))));
                        if (criteria.isEmpty() && rs.getArray(9) != null) {
                            criteria.addAll(Arrays.asList((String[]) rs.getArray(9).getArray()));
                        }
                    }
                }
            }
        }
        List<Judgment> ordered = new ArrayList<>(judgments);
        List<Judgment> unordered = new ArrayList<>();
        if (human) {
            verdicts(c, scope.sourceRunId(), ordered, unordered);
        }
        Map<String, Leaderboard.Diagnostics> diagnostics = new TreeMap<>();
        Map<String, BigDecimal> generationCost = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT lane_id, count(*) FILTER (WHERE status = 'completed'), COALESCE(sum(cost_usd), 0),
                       avg(words) FILTER (WHERE status = 'completed'),
                       avg(length_ratio) FILTER (WHERE status = 'completed'),
                       avg(repetition) FILTER (WHERE status = 'completed'),
                       count(*) FILTER (WHERE status = 'completed' AND refusal)
                FROM apex_audition.generations WHERE run_id = ? GROUP BY lane_id""")) {
            p.setString(1, scope.sourceRunId());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    diagnostics.put(rs.getString(1), new Leaderboard.Diagnostics(rs.getInt(2), number(rs, 4),
                            number(rs, 5), number(rs, 6), rs.getInt(7)));
                    generationCost.put(rs.getString(1), rs.getBigDecimal(3));
                }
            }
        }
        Map<String, BigDecimal> judgingCost = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT lane_id, COALESCE(sum(cost_usd), 0) FROM "
                + "apex_audition.generations WHERE run_id = ANY (?) GROUP BY lane_id")) {
            p.setArray(1, c.createArrayOf("text", scope.judgingRuns().toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    judgingCost.put(rs.getString(1), rs.getBigDecimal(2));
                }
            }
        }
        return new Leaderboard.Input(ordered, unordered, scores, criteria, diagnostics, generationCost, judgingCost);
    }

    /**
     * A person's verdicts on the run (recorder migration V6, apex_audition.verdicts; absent before it): a pairwise
     * verdict is a judgment of the judge {@value #HUMAN} in the order the two pieces were shown, a decisive one with
     * margin 1 (the viewer asks for no margin); a ranking is every pair of it, the better ranked winning, with no
     * presentation order. Pieces of one lane against each other say nothing about lanes and are left out.
     */
    private static void verdicts(Connection c, String runId, List<Judgment> ordered, List<Judgment> unordered)
            throws SQLException {
        if (strings(c, "SELECT to_regclass('apex_audition.verdicts')::text").stream().allMatch(s -> s == null)) {
            return;
        }
        record Verdict(String promptId, String kind, String a, String b, String winner, List<String> ranking) {
        }
        List<Verdict> verdicts = new ArrayList<>();
        Set<String> generations = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT prompt_id, kind, generation_a, generation_b, winner, "
                + "ranking FROM apex_audition.verdicts WHERE run_id = ? ORDER BY occurred_at, verdict_id")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Array ranking = rs.getArray(6);
                    Verdict v = new Verdict(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), ranking == null ? List.of() : Arrays.asList((String[]) ranking.getArray()));
                    verdicts.add(v);
                    generations.add(v.a());
                    generations.add(v.b());
                    generations.addAll(v.ranking());
                }
            }
        }
        if (verdicts.isEmpty()) {
            return;
        }
        Map<String, String> lanes = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, lane_id FROM apex_audition.generations WHERE id = ANY (?)")) {
            p.setArray(1, c.createArrayOf("text", generations.stream().filter(g -> g != null).toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    lanes.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        for (Verdict v : verdicts) {
            if ("pairwise".equals(v.kind())) {
                String a = lanes.get(v.a());
                String b = lanes.get(v.b());
                Optional<Winner> winner = winner(v.winner());
                if (a != null && b != null && !a.equals(b) && winner.isPresent()) {
                    ordered.add(new Judgment(v.promptId(), HUMAN, a, b, winner.get(),
                            winner.get() == Winner.TIE ? 0 : 1));
                }
            } else if ("ranking".equals(v.kind())) {
                List<String> ranked = v.ranking().stream().map(lanes::get).toList();
                for (int i = 0; i < ranked.size(); i++) {
                    for (int k = i + 1; k < ranked.size(); k++) {
                        String better = ranked.get(i);
                        String worse = ranked.get(k);
                        if (better != null && worse != null && !better.equals(worse)) {
                            unordered.add(new Judgment(v.promptId(), HUMAN, better, worse, Winner.A, 1));
                        }
                    }
                }
            }
        }
    }

    /** A verdict's winner as the tables write it: A, B or tie, any case. */
    static Optional<Winner> winner(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "a" -> Optional.of(Winner.A);
            case "b" -> Optional.of(Winner.B);
            case "tie" -> Optional.of(Winner.TIE);
            default -> Optional.empty();
        };
    }

    private static Map<String, Double> scores(String json) {
        try {
            Map<String, Double> scores = new LinkedHashMap<>();
            JsonNode node = EventJson.mapper().readTree(json);
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    scores.put(e.getKey(), e.getValue().asDouble());
                }
            });
            return scores;
        } catch (IOException e) {
            throw new UncheckedIOException("judgments.scores is not JSON: " + json, e);
        }
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
