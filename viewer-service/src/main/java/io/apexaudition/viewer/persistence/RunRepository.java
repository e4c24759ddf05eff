package io.apexaudition.viewer.persistence;

import io.apexaudition.viewer.domain.RunSummary;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Reads runs with their generations counted by status. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, String> {

    /** Every run, newest first, each with its counts and cost. */
    public List<RunSummary> summaries() {
        List<RunEntity> runs = findAll(Sort.descending("acceptedAt").and("id")).list();
        Map<String, Tally> tallies = tallies(null);
        Set<String> judged = judged(null);
        List<RunSummary> out = new ArrayList<>(runs.size());
        for (RunEntity run : runs) {
            out.add(summary(run, tallies.getOrDefault(run.id, new Tally()), judged.contains(run.id)));
        }
        return out;
    }

    /** One run with its counts and cost, if it exists. */
    public Optional<RunSummary> summary(String runId) {
        return findByIdOptional(runId).map(run -> summary(run, tallies(runId).getOrDefault(runId, new Tally()),
                judged(runId).contains(runId)));
    }

    private static RunSummary summary(RunEntity run, Tally tally, boolean judged) {
        return new RunSummary(run.id, run.status, run.mode, run.dryRun, run.createdBy, run.notes,
                run.expectedGenerations, tally.total, tally.counts, tally.cost, run.acceptedAt, run.completedAt,
                run.rejectedAt, run.reason, judged);
    }

    /**
     * The runs a judging pass judged (of all, or the one given): one probe of the judgments_source index (V8) per run,
     * so the runs page costs the same however many judgments there are.
     */
    private Set<String> judged(String runId) {
        var query = getEntityManager().createNativeQuery("SELECT r.id FROM apex_audition.runs r WHERE EXISTS (SELECT 1"
                + " FROM apex_audition.judgments j WHERE j.source_run_id = r.id)"
                + (runId == null ? "" : " AND r.id = :run"));
        if (runId != null) {
            query.setParameter("run", runId);
        }
        Set<String> runs = new HashSet<>();
        for (Object id : query.getResultList()) {
            runs.add((String) id);
        }
        return runs;
    }

    /**
     * One aggregate over the generations instead of one query per run: count(*), not count(g), which would read the
     * id, so that Postgres answers from the (run_id, status) INCLUDE (cost_usd) index alone (V7; 51 ms instead of
     * 187 ms for a 100,000-generation run).
     */
    private Map<String, Tally> tallies(String runId) {
        String hql = "select g.runId, g.status, count(*), sum(g.costUsd) from GenerationEntity g"
                + (runId == null ? "" : " where g.runId = :run") + " group by g.runId, g.status";
        var query = getEntityManager().createQuery(hql, Object[].class);
        if (runId != null) {
            query.setParameter("run", runId);
        }
        Map<String, Tally> tallies = new HashMap<>();
        for (Object[] row : query.getResultList()) {
            Tally t = tallies.computeIfAbsent((String) row[0], k -> new Tally());
            long n = ((Number) row[2]).longValue();
            t.counts.put((String) row[1], n);
            t.total += n;
            if (row[3] != null) {
                t.cost = t.cost.add((BigDecimal) row[3]);
            }
        }
        return tallies;
    }

    private static final class Tally {
        final Map<String, Long> counts = new TreeMap<>();
        long total;
        BigDecimal cost = BigDecimal.ZERO;
    }
}
