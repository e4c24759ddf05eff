package io.apexaudition.planner.domain;

import io.apexaudition.core.CostEstimator;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.core.RubricConfig;
import io.apexaudition.core.TextChecks;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;

import java.time.Clock;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a judging command into a judging run: a {@link RunAccepted} whose lanes are the judge lanes, with one
 * judge request per judge lane and call of the {@link JudgingPlan}, or a {@link io.apexaudition.events.RunRejected}
 * listing every problem with its fix. From there the run is like any other: the same request topics and lane
 * groups, the same progress and {@code RunCompleted}. Pure: the caller supplies the registered lanes and what it
 * knows of the source run, and publishes the outcome atomically; the same command gives the same events.
 */
public final class JudgingPlanner {
    static final String REGISTER_JUDGES = "`apex lanes register --config config/judging/judges.yaml`";

    private final Clock clock;
    private final RunPlanner.Caps caps;
    private final ModelCatalog catalog;
    private final RetryPlanner retries;

    public JudgingPlanner(Clock clock, RunPlanner.Caps caps, ModelCatalog catalog) {
        this.clock = clock;
        this.caps = caps;
        this.catalog = catalog;
        this.retries = new RetryPlanner(clock);
    }

    /**
     * @param lanes  the latest registered version of every lane, by slug
     * @param source the source run's state, as of now
     */
    public RunPlanner.Outcome plan(JudgingRequested command, Map<String, LaneRegistered> lanes,
                                   SourceRuns.State source, String rawCommand) {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        Optional<String> runIdText = PlanChecks.runId(command.runId(), problems);
        checkText(command, problems);
        checkSource(command.sourceRunId(), source, problems);
        List<LaneRegistered> judges = chooseJudges(command, lanes, problems);
        List<String> rubricProblems = RubricConfig.problems(command.rubric());
        rubricProblems.forEach(p -> problems.add("rubric: " + p));
        if (command.pairDegree() < 1) {
            problems.add("pairDegree " + command.pairDegree() + " is below 1: in pairwise judging each lane meets "
                    + "pairDegree others per prompt, so use 1 or more (" + JudgingRequested.DEFAULT_PAIR_DEGREE
                    + " when left out; all pairs once it reaches the number of lanes less one)");
        }
        boolean outputsOk = checkOutputs(command, problems);

        JudgingPlan plan = outputsOk && command.pairDegree() >= 1 ? JudgingPlan.of(command) : null;
        if (plan != null) {
            if (command.kind() == JudgingKind.PAIRWISE && plan.callsPerJudge() == 0) {
                problems.add("pairwise judging compares outputs of two lanes for the same prompt, and no prompt has "
                        + "outputs of two lanes: include the outputs of more lanes, or judge each output on the "
                        + "rubric (kind RUBRIC)");
            } else {
                checkCaps(command, judges, plan, rubricProblems.isEmpty(), problems);
            }
        }
        if (!problems.isEmpty()) {
            return new RunPlanner.Rejected(PlanChecks.rejection(command.eventId(), command.runId(), runIdText, problems,
                    now, rawCommand));
        }

        int perJudge = Math.toIntExact(plan.callsPerJudge());
        List<PlannedLane> planned = judges.stream().map(j -> new PlannedLane(j.conditionId(), j.slug(), j.provider(),
                j.model(), perJudge)).toList();
        List<GenerationRequested> requests = new JudgeRequests(plan, judges, perJudge, now);
        RunAccepted accepted = new RunAccepted(EventIds.nameUuid("RunAccepted", command.runId()),
                RunAccepted.SCHEMA_VERSION, now, command.runId(), command.mode(), false, command.dryRun(),
                command.cache(), null, 1, command.createdBy(), command.notes(), planned, plan.promptIds(),
                requests.size());
        return new RunPlanner.Accepted(accepted, requests);
    }

    /**
     * The next attempt of some judge requests of an accepted judging run, rebuilt from its command.
     *
     * <p>Why not {@link RetryPlanner}'s usual rebuild: that one takes the prompt text from apex.prompts, which
     * holds the writing prompts, while a judge request's text is the writing prompt with the judged piece(s) and
     * its shared context the rubric: none of it is in apex.prompts. The judging command holds all of it, so the
     * planner keeps each accepted one and re-plans it here: the plan is deterministic, so the listed generation
     * ids name the same calls, sent again with the same texts and the judge lane version they first ran with.
     *
     * @param judging the judging command the run was planned from
     */
    public RetryPlanner.Plan retry(RetryRequested retry, JudgingRequested judging,
                                   Function<String, Optional<LaneRegistered>> laneByConditionId) {
        JudgingPlan plan = JudgingPlan.of(judging);
        Set<String> listed = new HashSet<>();
        retry.generations().forEach(item -> listed.add(item.generationId()));
        // only the listed calls are kept: a whole pass may be 200,000 calls
        Map<String, String> judgeOf = new HashMap<>();
        Map<String, JudgingPlan.Call> callOf = new HashMap<>();
        for (String judge : new LinkedHashSet<>(judging.judgeConditionSlugs())) {
            for (JudgingPlan.Call call : plan.calls()) {
                String id = plan.generationId(judge, call);
                if (listed.contains(id)) {
                    judgeOf.put(id, judge);
                    callOf.put(id, call);
                }
            }
        }
        return retries.plan(retry, item -> {
            String generation = TextChecks.printable(item.generationId(), PlanChecks.ECHO_CHARS);
            JudgingPlan.Call call = callOf.get(item.generationId());
            if (call == null) {
                return RetryPlanner.Rebuilt.refused("generation " + generation + " is not a judge request of judging "
                        + "run " + judging.runId() + ": retry the generations `apex retry " + judging.runId()
                        + "` lists");
            }
            Optional<LaneRegistered> lane = laneByConditionId.apply(item.conditionId());
            if (lane.isEmpty()) {
                return RetryPlanner.Rebuilt.refused("generation " + generation + ": lane version "
                        + TextChecks.printable(item.conditionId(), PlanChecks.ECHO_CHARS) + " is not registered");
            }
            if (!lane.get().slug().equals(judgeOf.get(item.generationId()))) {
                return RetryPlanner.Rebuilt.refused("generation " + generation + " was judged by lane '"
                        + judgeOf.get(item.generationId()) + "', but lane version " + TextChecks.printable(
                        item.conditionId(), PlanChecks.ECHO_CHARS) + " is lane '" + lane.get().slug() + "': retry "
                        + "it with the conditionId it ran with");
            }
            return RetryPlanner.Rebuilt.as(plan.request(lane.get(), call, 1, clock.instant()));
        });
    }

    /** Ids, names and texts, before anything quotes or stores them. */
    private static void checkText(JudgingRequested command, List<String> problems) {
        TextChecks.identifier("sourceRunId", command.sourceRunId()).ifPresent(problems::add);
        for (int i = 0; i < command.judgeConditionSlugs().size(); i++) {
            TextChecks.identifier("judgeConditionSlugs[" + i + "]", command.judgeConditionSlugs().get(i))
                    .ifPresent(problems::add);
        }
        TextChecks.identifier("createdBy", command.createdBy()).ifPresent(problems::add);
        TextChecks.prose("notes", command.notes(), TextChecks.MAX_NOTES_CHARS).ifPresent(problems::add);
        for (int i = 0; i < command.prompts().size(); i++) {
            JudgingRequested.Prompt prompt = command.prompts().get(i);
            TextChecks.identifier("prompts[" + i + "].promptId", prompt.promptId()).ifPresent(problems::add);
            TextChecks.prose("prompts[" + i + "].text", prompt.text(), Topics.MAX_COMMAND_BYTES)
                    .ifPresent(problems::add);
        }
        for (int i = 0; i < command.outputs().size(); i++) {
            JudgingRequested.Output output = command.outputs().get(i);
            String at = "outputs[" + i + "].";
            TextChecks.identifier(at + "generationId", output.generationId()).ifPresent(problems::add);
            TextChecks.identifier(at + "promptId", output.promptId()).ifPresent(problems::add);
            TextChecks.identifier(at + "laneSlug", output.laneSlug()).ifPresent(problems::add);
            TextChecks.prose(at + "text", output.text(), Topics.MAX_COMMAND_BYTES).ifPresent(problems::add);
        }
    }

    private static void checkSource(String sourceRunId, SourceRuns.State source, List<String> problems) {
        String run = "source run '" + TextChecks.printable(sourceRunId, PlanChecks.ECHO_CHARS) + "'";
        switch (source) {
            case UNKNOWN -> problems.add(run + " is unknown to the planner (it never accepted a run of that id): "
                    + "check the id (`apex status` lists the runs) and judge a run that has completed");
            case REJECTED -> problems.add(run + " was rejected, so nothing was generated to judge: judge a run "
                    + "that was accepted and has completed");
            case RUNNING -> problems.add(run + " has not completed yet (no RunCompleted): wait until `apex status "
                    + TextChecks.printable(sourceRunId, PlanChecks.ECHO_CHARS) + "` shows it completed, then "
                    + "judge it");
            case COMPLETED -> {
                // judgeable
            }
        }
    }

    private static List<LaneRegistered> chooseJudges(JudgingRequested command, Map<String, LaneRegistered> lanes,
                                                     List<String> problems) {
        if (command.judgeConditionSlugs().isEmpty()) {
            problems.add("no judge lane chosen: give \"judgeConditionSlugs\": [\"judge.4o\", ...] (apex judge "
                    + "--judge-lane SLUG), after registering the judge lanes with " + REGISTER_JUDGES);
            return List.of();
        }
        List<LaneRegistered> judges = new ArrayList<>();
        for (String slug : new LinkedHashSet<>(command.judgeConditionSlugs())) {
            if (slug != null && TextChecks.identifier("", slug).isEmpty()) { // otherwise reported by checkText
                PlanChecks.lane(slug, lanes, "judge lane", REGISTER_JUDGES, problems).ifPresent(judges::add);
            }
        }
        return judges;
    }

    /**
     * The prompts and outputs fit together: outputs to judge, each answering a listed prompt, none listed twice.
     *
     * @return whether a plan can be made of them
     */
    private static boolean checkOutputs(JudgingRequested command, List<String> problems) {
        int before = problems.size();
        Set<String> prompts = new HashSet<>();
        for (int i = 0; i < command.prompts().size(); i++) {
            String id = command.prompts().get(i).promptId();
            if (!prompts.add(id)) {
                problems.add("prompts[" + i + "]: prompt '" + TextChecks.printable(id, PlanChecks.ECHO_CHARS)
                        + "' is listed twice: list each writing prompt once");
            }
        }
        if (command.outputs().isEmpty()) {
            problems.add("the command lists no outputs to judge: list the source run's completed outputs (apex "
                    + "judge does); a run without any has nothing to judge");
        }
        Set<String> generations = new HashSet<>();
        for (int i = 0; i < command.outputs().size(); i++) {
            JudgingRequested.Output output = command.outputs().get(i);
            String generation = TextChecks.printable(output.generationId(), PlanChecks.ECHO_CHARS);
            if (!generations.add(output.generationId())) {
                problems.add("outputs[" + i + "]: generation " + generation + " is listed twice: list each output "
                        + "once");
            }
            if (!prompts.contains(output.promptId())) {
                String prompt = TextChecks.printable(output.promptId(), PlanChecks.ECHO_CHARS);
                problems.add("outputs[" + i + "] (generation " + generation + ") answers prompt '" + prompt
                        + "', which prompts does not list: add {\"promptId\": \"" + prompt + "\", \"promptVersion\": "
                        + "N, \"text\": \"...\"} to prompts");
            }
        }
        return problems.size() == before;
    }

    /** The pass's size and worst-case cost against the run caps, as for any run. */
    private void checkCaps(JudgingRequested command, List<LaneRegistered> judges, JudgingPlan plan,
                           boolean rubricOk, List<String> problems) {
        long requests = plan.callsPerJudge() * judges.size();
        Optional<String> tooMany = PlanChecks.overGenerations(caps, requests, "the judging pass", "judge requests",
                "judge fewer prompts per pass (apex judge --limit N), with fewer judge lanes or a lower pairDegree");
        if (tooMany.isPresent()) {
            problems.add(tooMany.get());
            return;
        }
        if (command.dryRun() || judges.isEmpty() || requests == 0 || !rubricOk) {
            return; // a dry run costs nothing; without a valid rubric there are no texts to estimate
        }
        Optional<List<LaneSpec>> specs = PlanChecks.priced(judges, catalog, problems);
        if (specs.isEmpty()) {
            return;
        }
        CostEstimator.Estimate estimate = new CostEstimator(catalog).estimate(specs.get(), new CallTexts(plan), 1,
                command.cache());
        boolean batch = command.mode() == RunMode.BATCH;
        PlanChecks.overCost(caps, batch ? estimate.worstBatch() : estimate.worstSync(), requests, batch,
                "the judging pass's", "judge requests", "judge fewer prompts per pass (apex judge --limit N), with "
                        + "fewer judge lanes or a lower pairDegree, lower the judge lanes' max_tokens, or try it "
                        + "first with dryRun").ifPresent(problems::add);
    }

    /** One judge lane's calls as the cost estimator reads them, each text built when it is read. */
    private static final class CallTexts extends AbstractList<PromptSpec> implements RandomAccess {
        private final JudgingPlan plan;

        CallTexts(JudgingPlan plan) {
            this.plan = plan;
        }

        @Override
        public int size() {
            return plan.calls().size();
        }

        @Override
        public PromptSpec get(int index) {
            JudgingPlan.Call call = plan.calls().get(index);
            return new PromptSpec(call.prompt().promptId(), null, null, plan.promptText(call), plan.sharedContext());
        }
    }

    /**
     * The pass's requests, judge lane by judge lane, each built when it is read (a whole pass holds thousands of
     * pieces of writing twice over); every read of one index yields an equal request.
     */
    private static final class JudgeRequests extends AbstractList<GenerationRequested> implements RandomAccess {
        private final JudgingPlan plan;
        private final List<LaneRegistered> judges;
        private final int perJudge;
        private final Instant now;

        JudgeRequests(JudgingPlan plan, List<LaneRegistered> judges, int perJudge, Instant now) {
            this.plan = plan;
            this.judges = List.copyOf(judges);
            this.perJudge = perJudge;
            this.now = now;
        }

        @Override
        public int size() {
            return judges.size() * perJudge;
        }

        @Override
        public GenerationRequested get(int index) {
            Objects.checkIndex(index, size());
            return plan.request(judges.get(index / perJudge), plan.calls().get(index % perJudge), perJudge, now);
        }
    }
}
