package io.apexaudition.viewer.persistence;

import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.viewer.domain.LaneOutput;
import io.apexaudition.viewer.domain.LaneSummary;
import io.apexaudition.viewer.domain.MatrixCell;
import io.apexaudition.viewer.domain.MatrixFilter;
import io.apexaudition.viewer.domain.SortOrder;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a run's generations as the matrix and the side-by-side page need them. Matrix queries project lengths
 * (output_length, stored with the row) and token counts, never the output text, so a page costs the same whether
 * outputs are 2 KB or 200 KB; only a text filter reads the outputs, once per page.
 */
@ApplicationScoped
public class GenerationRepository implements PanacheRepositoryBase<GenerationEntity, String> {
    private static final Logger LOG = Logger.getLogger(GenerationRepository.class);

    private static final String ERROR_COUNT = "sum(case when g.status = 'error' then 1 else 0 end)";

    private final ConditionRepository conditions;

    public GenerationRepository(ConditionRepository conditions) {
        this.conditions = conditions;
    }

    /** One page of prompt ids and how many prompts match in all. */
    public record PromptIds(long total, List<String> ids) {
    }

    /**
     * One page of the run's prompt ids with a generation matching the filter, in the given order (its figures taken
     * over the matching generations, so sorting by length with one lane filtered sorts by that lane's length), and
     * the number of such prompts, counted in the same scan (a window over the groups): a text filter reads the
     * run's outputs once per page, not once for the count and again for the page.
     */
    public PromptIds promptPage(String runId, MatrixFilter filter, SortOrder order, int offset, int limit) {
        TypedQuery<Object[]> q = getEntityManager().createQuery("select g.promptId, count(*) over ()"
                + " from GenerationEntity g where g.runId = :run" + where(filter) + " group by g.promptId order by "
                + promptOrder(order), Object[].class);
        List<Object[]> rows = bind(q, runId, filter).setFirstResult(offset).setMaxResults(limit).getResultList();
        if (rows.isEmpty()) {
            return new PromptIds(offset == 0 ? 0 : countPrompts(runId, filter), List.of());
        }
        return new PromptIds(((Number) rows.get(0)[1]).longValue(), rows.stream().map(r -> (String) r[0]).toList());
    }

    /** How many prompts of the run have a generation matching the filter (grouped, then counted: no sort). */
    public long countPrompts(String runId, MatrixFilter filter) {
        TypedQuery<Long> q = getEntityManager().createQuery("select count(*) from (select g.promptId as p from"
                + " GenerationEntity g where g.runId = :run" + where(filter) + " group by g.promptId)", Long.class);
        return bind(q, runId, filter).getSingleResult();
    }

    private static String promptOrder(SortOrder order) {
        String dir = order.descending() ? " desc" : " asc";
        return switch (order.key()) {
            case "length" -> "avg(g.outputLength)" + dir + " nulls last, g.promptId";
            case "cost" -> "sum(g.costUsd)" + dir + " nulls last, g.promptId";
            case "errors" -> ERROR_COUNT + dir + ", g.promptId";
            default -> "g.promptId" + dir;
        };
    }

    /** The cells of the given prompts that match the filter, in prompt, lane and replicate order. */
    public List<MatrixCell> cells(String runId, List<String> promptIds, MatrixFilter filter) {
        if (promptIds.isEmpty()) {
            return List.of();
        }
        TypedQuery<MatrixCell> q = getEntityManager().createQuery("select new io.apexaudition.viewer.domain.MatrixCell("
                + "g.promptId, g.laneId, g.replicate, g.status, g.outputLength, g.inputTokens,"
                + " g.cachedInputTokens, g.outputTokens, g.reasoningTokens, g.costUsd, g.cacheHit, g.finishReason,"
                + " g.errorKind) from GenerationEntity g where g.runId = :run and g.promptId in :prompts"
                + where(filter) + " order by g.promptId, g.laneId, g.replicate", MatrixCell.class);
        return bind(q, runId, filter).setParameter("prompts", promptIds).getResultList();
    }

    /**
     * Every lane of the run over all its prompts, in id order: coverage, mean and spread of output length, cost, and
     * its condition's parameters. Filters narrow columns and cells, never a column's figures: they stay the lane's
     * own, so callers choose columns from this list.
     */
    public List<LaneSummary> lanes(String runId) {
        List<Object[]> rows = getEntityManager().createQuery("select g.laneId, max(g.provider), max(g.model),"
                + " max(g.conditionId), count(*), sum(case when g.status = 'completed' then 1 else 0 end), "
                + ERROR_COUNT + ", avg(g.outputLength), stddev_pop(g.outputLength), sum(g.costUsd)"
                + " from GenerationEntity g where g.runId = :run group by g.laneId order by g.laneId", Object[].class)
                .setParameter("run", runId).getResultList();
        Map<String, ConditionEntity> conds = conditions.byId(rows.stream().map(r -> (String) r[3])
                .filter(c -> c != null).distinct().toList());
        List<LaneSummary> lanes = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long generations = ((Number) r[4]).longValue();
            long completed = ((Number) r[5]).longValue();
            ConditionEntity c = conds.get((String) r[3]);
            lanes.add(new LaneSummary((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                    c == null ? null : c.parameters, generations, completed, ((Number) r[6]).longValue(),
                    generations == 0 ? 0 : (double) completed / generations, doubleOrNull(r[7]), doubleOrNull(r[8]),
                    (BigDecimal) r[9]));
        }
        return lanes;
    }

    private static Double doubleOrNull(Object n) {
        return n == null ? null : ((Number) n).doubleValue();
    }

    /** Every generation of the run for one prompt, text included, in lane and replicate order. */
    public List<GenerationEntity> forPrompt(String runId, String promptId) {
        return list("runId = ?1 and promptId = ?2 order by laneId, replicate", runId, promptId);
    }

    /** One lane's generation of a prompt (its first replicate unless one is named), text included. */
    public Optional<GenerationEntity> forCell(String runId, String promptId, String laneId, Integer replicate) {
        return replicate == null
                ? find("runId = ?1 and promptId = ?2 and laneId = ?3 order by replicate", runId, promptId, laneId)
                        .firstResultOptional()
                : find("runId = ?1 and promptId = ?2 and laneId = ?3 and replicate = ?4", runId, promptId, laneId,
                        replicate).firstResultOptional();
    }

    /** The prompts of the run, each with the newest version it ran, in id order. */
    public Map<String, Integer> promptVersions(String runId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Object[] r : getEntityManager().createQuery("select g.promptId, max(g.promptVersion)"
                + " from GenerationEntity g where g.runId = :run group by g.promptId order by g.promptId",
                Object[].class).setParameter("run", runId).getResultList()) {
            out.put((String) r[0], (Integer) r[1]);
        }
        return out;
    }

    /** The ids of the run's prompts, in order (an index-only scan of the run's prompt index). */
    public List<String> promptIds(String runId) {
        return getEntityManager().createQuery("select g.promptId from GenerationEntity g where g.runId = :run"
                + " group by g.promptId order by g.promptId", String.class).setParameter("run", runId).getResultList();
    }

    /** The ids of the run's lanes, in order (an index-only scan of the run's lane index). */
    public List<String> laneIds(String runId) {
        return getEntityManager().createQuery("select g.laneId from GenerationEntity g where g.runId = :run"
                + " group by g.laneId order by g.laneId", String.class).setParameter("run", runId).getResultList();
    }

    /** Outputs as the side-by-side page shows them, unlabelled, each with its condition's parameters. */
    public List<LaneOutput> outputs(List<GenerationEntity> rows) {
        Map<String, ConditionEntity> conds = conditions.byId(
                rows.stream().map(g -> g.conditionId).filter(c -> c != null).distinct().toList());
        return rows.stream().map(g -> output(g, conds.get(g.conditionId))).toList();
    }

    /** A generation as the side-by-side page shows it, unlabelled; {@code parameters} from its condition. */
    static LaneOutput output(GenerationEntity g, ConditionEntity condition) {
        return new LaneOutput(null, g.id, g.laneId, g.conditionId, g.provider, g.model,
                condition == null ? null : condition.parameters, g.replicate, g.status, g.outputText,
                g.finishReason, g.inputTokens, g.cachedInputTokens, g.outputTokens, g.reasoningTokens, g.costUsd,
                g.cacheHit, g.errorKind, g.errorMessage, null);
    }

    /**
     * The exact body sent for a generation's latest attempt, joined from {@code request_bodies} by its hash and its
     * long text put back (the recorder's view {@code generation_requests}); empty when none was recorded (a generation
     * not sent yet, or its long text not recorded yet). A body that does not hash to the claim check naming it is not
     * shown: it would not be the body that was sent.
     */
    public Optional<String> requestBody(String generationId) {
        List<?> rows = getEntityManager().createNativeQuery("SELECT request_body, request_body_hash FROM "
                + "apex_audition.generation_requests WHERE generation_id = :id AND request_body IS NOT NULL")
                .setParameter("id", generationId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        String body = row[0].toString();
        if (!RequestBodyStored.hashOf(body).equals(row[1])) {
            LOG.errorf("The request body recorded for %s does not hash to its claim check %s; not shown. Rebuild the "
                    + "tables (apex rebuild) to record it again from apex.request-bodies", generationId, row[1]);
            return Optional.empty();
        }
        return Optional.of(body);
    }

    private static String where(MatrixFilter filter) {
        StringBuilder s = new StringBuilder();
        if (!filter.lanes().isEmpty()) {
            s.append(" and g.laneId in :lanes");
        }
        if (!filter.models().isEmpty()) {
            s.append(" and g.model in :models");
        }
        if (!filter.providers().isEmpty()) {
            s.append(" and g.provider in :providers");
        }
        if (!filter.statuses().isEmpty()) {
            s.append(" and g.status in :statuses");
        }
        if (filter.errorsOnly()) {
            s.append(" and g.status = 'error'");
        }
        if (filter.text() != null) {
            // Postgres's case-insensitive regular expression match (~*), the pattern quoted to match literally
            s.append(" and regexp_match(g.outputText, :text, 'i') is not null");
        }
        return s.toString();
    }

    private static <T> TypedQuery<T> bind(TypedQuery<T> q, String runId, MatrixFilter filter) {
        q.setParameter("run", runId);
        if (!filter.lanes().isEmpty()) {
            q.setParameter("lanes", filter.lanes());
        }
        if (!filter.models().isEmpty()) {
            q.setParameter("models", filter.models());
        }
        if (!filter.providers().isEmpty()) {
            q.setParameter("providers", filter.providers());
        }
        if (!filter.statuses().isEmpty()) {
            q.setParameter("statuses", filter.statuses());
        }
        if (filter.text() != null) {
            q.setParameter("text", filter.textPattern());
        }
        return q;
    }
}
