package io.apexaudition.viewer.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Reads a run's generations in error (by the run_id, status index): counted by lane and kind, and paged. */
@ApplicationScoped
public class ErrorRepository implements PanacheRepositoryBase<GenerationEntity, String> {

    /** How many errors of one kind one lane has. */
    public record LaneKindCount(String laneId, String errorKind, long count) {
    }

    /** The run's errors counted by lane and kind, in that order. */
    public List<LaneKindCount> counts(String runId) {
        return getEntityManager().createQuery("select new io.apexaudition.viewer.persistence.ErrorRepository$"
                + "LaneKindCount(g.laneId, g.errorKind, count(*)) from GenerationEntity g where g.runId = :run"
                + " and g.status = 'error' group by g.laneId, g.errorKind order by g.laneId, g.errorKind",
                LaneKindCount.class).setParameter("run", runId).getResultList();
    }

    /** One page of the run's errors of the given lanes and kinds (all when none is named), by lane and prompt. */
    public List<GenerationEntity> page(String runId, List<String> lanes, List<String> kinds, int offset, int limit) {
        StringBuilder hql = new StringBuilder("runId = :run and status = 'error'");
        if (!lanes.isEmpty()) {
            hql.append(" and laneId in :lanes");
        }
        if (!kinds.isEmpty()) {
            hql.append(" and errorKind in :kinds");
        }
        Parameters params = Parameters.with("run", runId);
        if (!lanes.isEmpty()) {
            params = params.and("lanes", lanes);
        }
        if (!kinds.isEmpty()) {
            params = params.and("kinds", kinds);
        }
        return find(hql + " order by laneId, promptId, replicate, id", params).range(offset, offset + limit - 1)
                .list();
    }
}
