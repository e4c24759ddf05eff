package io.apexaudition.viewer.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apexaudition.core.judging.Judgment;
import io.apexaudition.core.judging.Leaderboard;
import io.apexaudition.core.judging.RubricScore;
import io.apexaudition.core.judging.Winner;
import io.apexaudition.viewer.domain.HumanJudge;
import io.apexaudition.viewer.domain.LeaderboardView.Judgments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leaderboard's read model over the recorder's judging tables (migration V8): which judging passes judged a run,
 * their judgments by status, the judged ones as audition-core reads them, and, from {@code generations}, the run's
 * writing diagnostics and cost per lane and the passes' cost per judge lane. Native queries: {@code judgments} has no
 * entity, the viewer only ever aggregates it (by the (source_run_id, kind, status) index).
 */
@ApplicationScoped
public class JudgmentRepository {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;

    public JudgmentRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** What a leaderboard is built from, and the prompts its judgments are on. */
    public record Judged(List<Judgment> judgments, List<RubricScore> scores, List<String> criteria,
            List<String> prompts) {
    }

    /** The judging passes over {@code sourceRunId}, by id. */
    public List<String> passesOver(String sourceRunId) {
        return strings("SELECT DISTINCT run_id FROM apex_audition.judgments WHERE source_run_id = :id ORDER BY run_id",
                sourceRunId);
    }

    /** The runs {@code judgingRunId} judged: one for a judging pass, none for any other run. */
    public List<String> judgedBy(String judgingRunId) {
        return strings("SELECT DISTINCT source_run_id FROM apex_audition.judgments WHERE run_id = :id "
                + "ORDER BY source_run_id", judgingRunId);
    }

    /** The judge requests of the passes over the run, by status. */
    public Judgments status(String sourceRunId, List<String> passes) {
        Map<String, Long> counts = new TreeMap<>();
        if (!passes.isEmpty()) {
            for (Object[] r : rows(em.createNativeQuery("SELECT status, count(*) FROM apex_audition.judgments "
                    + "WHERE source_run_id = :id AND run_id IN (:passes) GROUP BY status")
                    .setParameter("id", sourceRunId).setParameter("passes", passes))) {
                counts.put((String) r[0], ((Number) r[1]).longValue());
            }
        }
        return new Judgments(counts.getOrDefault("judged", 0L), counts.getOrDefault("pending", 0L),
                counts.getOrDefault("unparseable", 0L));
    }

    /**
     * The answered judgments of the passes over the run: pairwise ones in the order they were shown (a winner other
     * than A, B or tie, or a lane against itself, is left out), rubric scores (numbers only), and the rubric's
     * criteria in its own order.
     */
    public Judged judged(String sourceRunId, List<String> passes) {
        List<Judgment> judgments = new ArrayList<>();
        List<RubricScore> scores = new ArrayList<>();
        List<String> criteria = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        if (passes.isEmpty()) {
            return new Judged(judgments, scores, criteria, prompts);
        }
        Query query = em.createNativeQuery("SELECT kind, judge_lane_id, prompt_id, lane_a, lane_b, winner, margin, "
                + "CAST(scores AS text), CAST(to_json(criteria) AS text) FROM apex_audition.judgments "
                + "WHERE source_run_id = :id AND run_id IN (:passes) AND status = 'judged' ORDER BY generation_id")
                .setParameter("id", sourceRunId).setParameter("passes", passes);
        for (Object[] r : rows(query)) {
            String promptId = (String) r[2];
            String judge = (String) r[1];
            String laneA = (String) r[3];
            if ("pairwise".equals(r[0])) {
                String laneB = (String) r[4];
                Winner winner = HumanJudge.winner((String) r[5]);
                if (winner == null || laneA == null || laneB == null || laneA.equals(laneB)) {
                    continue;
                }
                int margin = winner == Winner.TIE || r[6] == null ? 0 : Math.max(0, ((Number) r[6]).intValue());
                judgments.add(new Judgment(promptId, judge, laneA, laneB, winner, margin));
            } else if (r[7] != null) {
                scores.add(new RubricScore(promptId, judge, laneA, numbers((String) r[7])));
                if (criteria.isEmpty() && r[8] != null) {
                    criteria.addAll(read((String) r[8], STRINGS));
                }
            } else {
                continue;
            }
            if (!prompts.contains(promptId)) {
                prompts.add(promptId);
            }
        }
        return new Judged(judgments, scores, criteria, prompts);
    }

    /** A lane of a run: its outputs' writing diagnostics (completed outputs) and what all its generations cost. */
    public record LaneFigures(Leaderboard.Diagnostics diagnostics, BigDecimal costUsd) {
    }

    /** Per lane of the run, in lane order: its diagnostics and cost. */
    public Map<String, LaneFigures> lanes(String runId) {
        Map<String, LaneFigures> lanes = new LinkedHashMap<>();
        for (Object[] r : rows(em.createNativeQuery("""
                SELECT lane_id, count(*) FILTER (WHERE status = 'completed'), COALESCE(sum(cost_usd), 0),
                       avg(words) FILTER (WHERE status = 'completed'),
                       avg(length_ratio) FILTER (WHERE status = 'completed'),
                       avg(repetition) FILTER (WHERE status = 'completed'),
                       count(*) FILTER (WHERE status = 'completed' AND refusal)
                FROM apex_audition.generations WHERE run_id = :id GROUP BY lane_id ORDER BY lane_id""")
                .setParameter("id", runId))) {
            lanes.put((String) r[0], new LaneFigures(new Leaderboard.Diagnostics(((Number) r[1]).intValue(),
                    number(r[3]), number(r[4]), number(r[5]), ((Number) r[6]).intValue()), money(r[2])));
        }
        return lanes;
    }

    /** What the passes' judge requests cost, per judge lane. */
    public Map<String, BigDecimal> judgingCost(List<String> passes) {
        Map<String, BigDecimal> cost = new TreeMap<>();
        if (!passes.isEmpty()) {
            for (Object[] r : rows(em.createNativeQuery("SELECT lane_id, COALESCE(sum(cost_usd), 0) FROM "
                    + "apex_audition.generations WHERE run_id IN (:passes) GROUP BY lane_id")
                    .setParameter("passes", passes))) {
                cost.put((String) r[0], money(r[1]));
            }
        }
        return cost;
    }

    private List<String> strings(String sql, String id) {
        List<String> values = new ArrayList<>();
        for (Object value : em.createNativeQuery(sql).setParameter("id", id).getResultList()) {
            values.add((String) value);
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query query) {
        return query.getResultList();
    }

    /** A rubric answer's scores: the numeric ones, by criterion. */
    private Map<String, Double> numbers(String scores) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        read(scores, new TypeReference<JsonNode>() {
        }).fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                numbers.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return numbers;
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("apex_audition.judgments holds JSON that cannot be read: " + text, e);
        }
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static BigDecimal money(Object value) {
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }
}
