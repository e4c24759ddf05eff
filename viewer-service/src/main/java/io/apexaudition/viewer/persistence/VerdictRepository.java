package io.apexaudition.viewer.persistence;

import io.apexaudition.viewer.domain.HumanJudge;
import io.apexaudition.viewer.domain.LaneOutput;
import io.apexaudition.viewer.domain.VerdictTally;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads what verdicts need: the outputs a verdict on a prompt may name, the verdicts of a run, and the lanes of the
 * outputs they name (a verdict's lane is its generation's {@code lane_id}).
 */
@ApplicationScoped
public class VerdictRepository implements PanacheRepositoryBase<VerdictEntity, String> {
    /** Ids bound per query: far below Postgres's 32,767 parameters. */
    private static final int CHUNK = 1_000;

    /**
     * The prompt's outputs in the run, unlabelled and without their text: what {@code BlindShuffler} needs to label
     * them as the blind page does (lane, replicate, id) and a verdict to check (status).
     */
    public List<LaneOutput> outputs(String runId, String promptId) {
        List<Object[]> rows = getEntityManager().createQuery("select g.id, g.laneId, g.replicate, g.status"
                + " from GenerationEntity g where g.runId = :run and g.promptId = :prompt", Object[].class)
                .setParameter("run", runId).setParameter("prompt", promptId).getResultList();
        List<LaneOutput> outputs = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            outputs.add(new LaneOutput(null, (String) r[0], (String) r[1], null, null, null, null, (Integer) r[2],
                    (String) r[3], null, null, null, null, null, null, null, false, null, null, null));
        }
        return outputs;
    }

    /** The run's lanes, in lane order. */
    public List<String> lanes(String runId) {
        return getEntityManager().createQuery("select distinct g.laneId from GenerationEntity g where g.runId = :run"
                + " order by g.laneId", String.class).setParameter("run", runId).getResultList();
    }

    /** Every verdict of the run, oldest first. */
    public List<VerdictEntity> forRun(String runId) {
        return list("runId = ?1 order by occurredAt, verdictId", runId);
    }

    /** The tally of the run's verdicts; with a prompt, also how many verdicts were cast on it. */
    public VerdictTally tally(String runId, String promptId) {
        List<VerdictEntity> verdicts = forRun(runId);
        Map<String, String> lanes = lanesNamedBy(verdicts);
        List<VerdictTally.Pairwise> pairwise = new ArrayList<>();
        List<VerdictTally.Ranking> rankings = new ArrayList<>();
        for (VerdictEntity v : verdicts) {
            if ("pairwise".equals(v.kind)) {
                pairwise.add(new VerdictTally.Pairwise(lanes.get(v.generationA), lanes.get(v.generationB), v.winner));
            } else if (v.ranking != null) {
                rankings.add(new VerdictTally.Ranking(Arrays.stream(v.ranking).map(lanes::get).toList()));
            }
        }
        Long onPrompt = promptId == null ? null
                : verdicts.stream().filter(v -> promptId.equals(v.promptId)).count();
        return VerdictTally.of(runId, lanes(runId), pairwise, rankings, promptId, onPrompt);
    }

    /** The run's verdicts as the judgments of the judge {@value HumanJudge#NAME}, as the leaderboard counts them. */
    public HumanJudge humanJudge(String runId) {
        List<VerdictEntity> verdicts = forRun(runId);
        List<HumanJudge.Verdict> read = verdicts.stream().map(v -> new HumanJudge.Verdict(v.promptId, v.kind,
                v.generationA, v.generationB, v.winner, ranking(v))).toList();
        return HumanJudge.of(read, lanesNamedBy(verdicts));
    }

    private static List<String> ranking(VerdictEntity v) {
        return v.ranking == null ? List.of() : Arrays.asList(v.ranking);
    }

    /** The lane of each generation the verdicts name that is recorded. */
    private Map<String, String> lanesNamedBy(List<VerdictEntity> verdicts) {
        Set<String> generationIds = new LinkedHashSet<>();
        for (VerdictEntity v : verdicts) {
            Stream.concat(Stream.of(v.generationA, v.generationB), ranking(v).stream()).filter(Objects::nonNull)
                    .forEach(generationIds::add);
        }
        return lanesOf(new ArrayList<>(generationIds));
    }

    /** The lane of each given generation that is recorded. */
    private Map<String, String> lanesOf(List<String> generationIds) {
        Map<String, String> lanes = new HashMap<>();
        for (int from = 0; from < generationIds.size(); from += CHUNK) {
            List<String> chunk = generationIds.subList(from, Math.min(from + CHUNK, generationIds.size()));
            for (Object[] r : getEntityManager().createQuery("select g.id, g.laneId from GenerationEntity g"
                    + " where g.id in :ids", Object[].class).setParameter("ids", chunk).getResultList()) {
                lanes.put((String) r[0], (String) r[1]);
            }
        }
        return lanes;
    }
}
