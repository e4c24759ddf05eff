package io.apexaudition.viewer.rest;

import io.apexaudition.core.judging.Judgment;
import io.apexaudition.core.judging.Leaderboard;
import io.apexaudition.viewer.domain.BadParameterException;
import io.apexaudition.viewer.domain.HumanJudge;
import io.apexaudition.viewer.domain.LeaderboardView;
import io.apexaudition.viewer.domain.LeaderboardView.Advice;
import io.apexaudition.viewer.domain.LeaderboardView.Judgments;
import io.apexaudition.viewer.domain.Params;
import io.apexaudition.viewer.persistence.JudgmentRepository;
import io.apexaudition.viewer.persistence.JudgmentRepository.Judged;
import io.apexaudition.viewer.persistence.JudgmentRepository.LaneFigures;
import io.apexaudition.viewer.persistence.RunRepository;
import io.apexaudition.viewer.persistence.VerdictRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A run's leaderboard: its lanes ranked from every judging pass over it (or one), readers' verdicts counted as the
 * judge {@value HumanJudge#NAME} unless {@code human=false}, with the run's writing diagnostics and costs. What
 * {@code apex leaderboard} prints, read the same way and built by the same audition-core {@link Leaderboard}.
 */
@Path("/api/runs/{id}/leaderboard")
@Produces(MediaType.APPLICATION_JSON)
public class LeaderboardResource {
    private final RunRepository runs;
    private final JudgmentRepository judgments;
    private final VerdictRepository verdicts;

    public LeaderboardResource(RunRepository runs, JudgmentRepository judgments, VerdictRepository verdicts) {
        this.runs = runs;
        this.judgments = judgments;
        this.verdicts = verdicts;
    }

    /** Which passes a leaderboard reads: over {@code runId}, every pass or the one asked for. */
    private record Scope(String runId, List<String> passes, boolean onePass) {
    }

    @GET
    public LeaderboardView leaderboard(@PathParam("id") String runId, @QueryParam("judgingRun") String judgingRun,
            @QueryParam("human") String human) {
        boolean withHuman = Params.flag("human", human, true);
        String pass = judgingRun == null || judgingRun.isBlank() ? null : judgingRun.strip();
        Scope scope = scope(runId, pass);
        String source = scope.runId();
        Judgments status = judgments.status(source, scope.passes());
        Judged judged = judgments.judged(source, scope.passes());
        HumanJudge people = withHuman ? verdicts.humanJudge(source) : new HumanJudge(List.of(), List.of());
        List<Judgment> ordered = new ArrayList<>(judged.judgments());
        ordered.addAll(people.ordered());
        Set<String> prompts = new LinkedHashSet<>(judged.prompts());
        ordered.forEach(j -> prompts.add(j.promptId()));
        people.unordered().forEach(j -> prompts.add(j.promptId()));
        boolean anything = !ordered.isEmpty() || !people.unordered().isEmpty() || !judged.scores().isEmpty();
        Leaderboard.Input input;
        if (anything) {
            Map<String, Leaderboard.Diagnostics> diagnostics = new TreeMap<>();
            Map<String, BigDecimal> cost = new TreeMap<>();
            for (Map.Entry<String, LaneFigures> lane : judgments.lanes(source).entrySet()) {
                diagnostics.put(lane.getKey(), lane.getValue().diagnostics());
                cost.put(lane.getKey(), lane.getValue().costUsd());
            }
            input = new Leaderboard.Input(ordered, people.unordered(), judged.scores(), judged.criteria(),
                    diagnostics, cost, judgments.judgingCost(scope.passes()));
        } else {
            // nothing to rank: an empty board, not a table of unranked lanes
            input = new Leaderboard.Input(null, null, null, null, null, null, null);
        }
        Leaderboard board = Leaderboard.build(input, LeaderboardView.OPTIONS,
                LeaderboardView.seed(source, scope.passes()));
        Advice advice = anything ? null
                : LeaderboardView.nothingJudged(source, scope.passes(), scope.onePass(), status);
        return new LeaderboardView(source, scope.passes(), judgments.passesOver(source), pass, withHuman, status,
                people.ordered().size() + people.unordered().size(), prompts.size(),
                LeaderboardView.OPTIONS.confidence(), LeaderboardView.OPTIONS.replicates(), anything,
                advice == null ? null : advice.message(), advice == null ? null : advice.command(), board);
    }

    /**
     * As {@code apex leaderboard}: the run's own passes (or the one asked for, which must have judged this run); a
     * judging run's id reads its source run through that pass alone. 404 for a run recorded neither as a run nor as
     * judged; 400 for a pass that judged another run, or is no run at all.
     */
    private Scope scope(String runId, String pass) {
        if (pass != null) {
            List<String> sources = judgments.judgedBy(pass);
            if (sources.isEmpty() || !sources.contains(runId)) {
                if (sources.isEmpty() && runs.findByIdOptional(pass).isPresent()) {
                    // a pass that judged nothing yet (a dry run calls no judge): an empty board that says so
                    ApiErrors.requireRun(runs, runId);
                    return new Scope(runId, List.of(pass), true);
                }
                List<String> passes = judgments.passesOver(runId);
                if (passes.isEmpty()) {
                    ApiErrors.requireRun(runs, runId);
                }
                String judgedWhat = sources.isEmpty() ? "is no judging run"
                        : "judged run " + sources.get(0) + ", not " + runId;
                throw new BadParameterException("judgingRun", pass, passes, "parameter 'judgingRun' cannot be '"
                        + pass + "': it " + judgedWhat + (passes.isEmpty() ? "; run " + runId + " has no judging pass"
                        : "; use one of " + String.join(", ", passes) + ", or leave it out for every pass"));
            }
            return new Scope(runId, List.of(pass), true);
        }
        List<String> passes = judgments.passesOver(runId);
        if (!passes.isEmpty()) {
            return new Scope(runId, passes, false);
        }
        List<String> sources = judgments.judgedBy(runId);
        if (sources.size() == 1) {
            return new Scope(sources.get(0), List.of(runId), true);
        }
        ApiErrors.requireRun(runs, runId);
        return new Scope(runId, List.of(), false);
    }
}
