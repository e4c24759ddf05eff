package io.apexaudition.viewer.persistence;

import io.apexaudition.viewer.domain.LaneOutput;
import io.apexaudition.viewer.domain.LaneSummary;
import io.apexaudition.viewer.domain.MatrixCell;
import io.apexaudition.viewer.domain.MatrixFilter;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a run's generations as the matrix and the side-by-side page need them. Matrix queries project lengths and
 * token counts, never the output text, so a page costs the same whether outputs are 2 KB or 200 KB.
 */
@ApplicationScoped
public class GenerationRepository implements PanacheRepositoryBase<GenerationEntity, String> {

    /** How many prompts of the run have a generation matching the filter. */
    public long countPrompts(String runId, MatrixFilter filter) {
        TypedQuery<Long> q = getEntityManager().createQuery(
                "select count(distinct g.promptId) from GenerationEntity g where g.runId = :run" + where(filter),
                Long.class);
        return bind(q, runId, filter).getSingleResult();
    }

    /** One page of the run's prompt ids (in id order) with a generation matching the filter. */
    public List<String> promptPage(String runId, MatrixFilter filter, int offset, int limit) {
        TypedQuery<String> q = getEntityManager().createQuery("select g.promptId from GenerationEntity g"
                + " where g.runId = :run" + where(filter) + " group by g.promptId order by g.promptId", String.class);
        return bind(q, runId, filter).setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    /** The cells of the given prompts that match the filter, in prompt, lane and replicate order. */
    public List<MatrixCell> cells(String runId, List<String> promptIds, MatrixFilter filter) {
        if (promptIds.isEmpty()) {
            return List.of();
        }
        TypedQuery<MatrixCell> q = getEntityManager().createQuery("select new io.apexaudition.viewer.domain.MatrixCell("
                + "g.promptId, g.laneId, g.replicate, g.status, length(g.outputText), g.inputTokens,"
                + " g.cachedInputTokens, g.outputTokens, g.reasoningTokens, g.costUsd, g.cacheHit, g.finishReason,"
                + " g.errorKind) from GenerationEntity g where g.runId = :run and g.promptId in :prompts"
                + where(filter) + " order by g.promptId, g.laneId, g.replicate", MatrixCell.class);
        return bind(q, runId, filter).setParameter("prompts", promptIds).getResultList();
    }

    /**
     * The run's lanes (those the lane filter keeps) over all their prompts: coverage, mean output length and cost.
     * Status and text filters narrow the rows, not the columns, so a column's figures stay the lane's own.
     */
    public List<LaneSummary> lanes(String runId, MatrixFilter filter, Map<String, ConditionEntity> conditions) {
        String hql = "select g.laneId, max(g.provider), max(g.model), max(g.conditionId), count(g),"
                + " sum(case when g.status = 'completed' then 1 else 0 end),"
                + " sum(case when g.status = 'error' then 1 else 0 end), avg(length(g.outputText)), sum(g.costUsd)"
                + " from GenerationEntity g where g.runId = :run"
                + (filter.lanes().isEmpty() ? "" : " and g.laneId in :lanes")
                + " group by g.laneId order by g.laneId";
        TypedQuery<Object[]> q = getEntityManager().createQuery(hql, Object[].class).setParameter("run", runId);
        if (!filter.lanes().isEmpty()) {
            q.setParameter("lanes", filter.lanes());
        }
        List<LaneSummary> lanes = new ArrayList<>();
        for (Object[] r : q.getResultList()) {
            ConditionEntity c = conditions.get((String) r[3]);
            lanes.add(new LaneSummary((String) r[0], (String) r[1], (String) r[2], c == null ? null : c.parameters,
                    ((Number) r[4]).longValue(), ((Number) r[5]).longValue(), ((Number) r[6]).longValue(),
                    r[7] == null ? null : ((Number) r[7]).doubleValue(), (BigDecimal) r[8]));
        }
        return lanes;
    }

    /** The condition ids the run's generations point at: a lane's parameters live on its condition. */
    public List<String> conditionIds(String runId) {
        return getEntityManager().createQuery("select distinct g.conditionId from GenerationEntity g"
                + " where g.runId = :run and g.conditionId is not null", String.class)
                .setParameter("run", runId).getResultList();
    }

    /** Every generation of the run for one prompt, text included, in lane and replicate order. */
    public List<GenerationEntity> forPrompt(String runId, String promptId) {
        return list("runId = ?1 and promptId = ?2 order by laneId, replicate", runId, promptId);
    }

    /** A generation as the side-by-side page shows it, unlabelled; {@code parameters} from its condition. */
    public static LaneOutput output(GenerationEntity g, ConditionEntity condition) {
        return new LaneOutput(null, g.id, g.laneId, g.conditionId, g.provider, g.model,
                condition == null ? null : condition.parameters, g.replicate, g.status, g.outputText,
                g.finishReason, g.inputTokens, g.cachedInputTokens, g.outputTokens, g.reasoningTokens, g.costUsd,
                g.cacheHit, g.errorKind, g.errorMessage);
    }

    private static String where(MatrixFilter filter) {
        StringBuilder s = new StringBuilder();
        if (!filter.lanes().isEmpty()) {
            s.append(" and g.laneId in :lanes");
        }
        if (!filter.statuses().isEmpty()) {
            s.append(" and g.status in :statuses");
        }
        if (filter.text() != null) {
            s.append(" and g.outputText ilike :text escape '\\'");
        }
        return s.toString();
    }

    private static <T> TypedQuery<T> bind(TypedQuery<T> q, String runId, MatrixFilter filter) {
        q.setParameter("run", runId);
        if (!filter.lanes().isEmpty()) {
            q.setParameter("lanes", filter.lanes());
        }
        if (!filter.statuses().isEmpty()) {
            q.setParameter("statuses", filter.statuses());
        }
        if (filter.text() != null) {
            q.setParameter("text", filter.likePattern());
        }
        return q;
    }
}
