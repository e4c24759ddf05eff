package io.apexaudition.planner.domain;

import io.apexaudition.core.judging.JudgePrompts;
import io.apexaudition.core.judging.Matchup;
import io.apexaudition.core.judging.PairSchedule;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.JudgeSubject;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.LaneRegistered;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The judge calls of one judging command, apart from the judge lanes' versions: under which writing prompt each
 * call shows which output (rubric) or which two outputs in which order (pairwise). Every judge lane of the pass
 * makes the same calls, so two judges can be compared call for call.
 *
 * <p>Deterministic: a function of the command alone, whatever order it lists its prompts and outputs in. Prompts
 * go by id; a rubric pass judges a prompt's outputs by lane, replicate and generation id; a pairwise pass takes one
 * output per lane and prompt (the lowest replicate), pairs the lanes with {@link PairSchedule} seeded by the source
 * run and the prompt, and shows each pair in both orders. A retry re-plans the stored command and finds the same
 * calls under the same generation ids.
 *
 * <p>Needs a command whose outputs all answer one of its prompts, with distinct generation and prompt ids and a
 * pair degree of at least 1 ({@link JudgingPlanner} checks that first).
 */
public final class JudgingPlan {
    /** One judge call: the output shown ({@code b} null: rubric), or the outputs shown as A, then B (pairwise). */
    public record Call(JudgingRequested.Prompt prompt, JudgingRequested.Output a, JudgingRequested.Output b,
                       int replicate) {
    }

    /** One prompt and the outputs judged under it, in plan order. */
    private record Group(JudgingRequested.Prompt prompt, List<JudgingRequested.Output> outputs) {
    }

    private static final Comparator<JudgingRequested.Output> OUTPUT_ORDER = Comparator
            .comparing(JudgingRequested.Output::laneSlug)
            .thenComparingInt(JudgingRequested.Output::replicate)
            .thenComparing(JudgingRequested.Output::generationId);

    private final JudgingRequested command;
    private final List<Group> groups;
    private List<Call> calls;
    private String sharedContext;

    private JudgingPlan(JudgingRequested command, List<Group> groups) {
        this.command = command;
        this.groups = groups;
    }

    /** The plan of a command that {@link JudgingPlanner} found well formed (its rubric may still be invalid). */
    public static JudgingPlan of(JudgingRequested command) {
        Map<String, JudgingRequested.Prompt> prompts = new HashMap<>();
        for (JudgingRequested.Prompt prompt : command.prompts()) {
            prompts.putIfAbsent(prompt.promptId(), prompt);
        }
        Map<String, List<JudgingRequested.Output>> byPrompt = new TreeMap<>();
        for (JudgingRequested.Output output : command.outputs()) {
            byPrompt.computeIfAbsent(output.promptId(), id -> new ArrayList<>()).add(output);
        }
        List<Group> groups = new ArrayList<>();
        byPrompt.forEach((promptId, outputs) -> {
            outputs.sort(OUTPUT_ORDER);
            groups.add(new Group(prompts.get(promptId), command.kind() == JudgingKind.PAIRWISE
                    ? onePerLane(outputs) : List.copyOf(outputs)));
        });
        return new JudgingPlan(command, List.copyOf(groups));
    }

    /** The first output of each lane, outputs sorted by lane and replicate: the lowest replicate of each lane. */
    private static List<JudgingRequested.Output> onePerLane(List<JudgingRequested.Output> sorted) {
        List<JudgingRequested.Output> first = new ArrayList<>();
        for (JudgingRequested.Output output : sorted) {
            if (first.isEmpty() || !first.get(first.size() - 1).laneSlug().equals(output.laneSlug())) {
                first.add(output);
            }
        }
        return List.copyOf(first);
    }

    /** How many calls each judge lane makes, counted without making them (a hostile command may name many lanes). */
    public long callsPerJudge() {
        long count = 0;
        for (Group group : groups) {
            count += command.kind() == JudgingKind.PAIRWISE
                    ? 2 * pairs(group.outputs().size(), command.pairDegree()) : group.outputs().size();
        }
        return count;
    }

    /**
     * How many pairs {@link PairSchedule#plan} gives {@code n} lanes at {@code degree}: all pairs when each lane can
     * meet all others, a path at degree 1, else a ring of offsets 1 to degree/2 plus, for an odd degree, a matching
     * across the ring (one more pair when n is odd). Checked against PairSchedule itself by the tests.
     */
    static long pairs(int n, int degree) {
        if (n < 2) {
            return 0;
        }
        int d = Math.min(degree, n - 1);
        if (d == n - 1) {
            return (long) n * (n - 1) / 2;
        }
        if (d == 1) {
            return n - 1;
        }
        long pairs = (long) (d / 2) * n;
        if (d % 2 == 1) {
            pairs += n / 2 + n % 2;
        }
        return pairs;
    }

    /** The calls of one judge lane, in plan order; the replicate counts each prompt's calls from 1. */
    public List<Call> calls() {
        if (calls == null) {
            List<Call> all = new ArrayList<>();
            for (Group group : groups) {
                if (command.kind() == JudgingKind.PAIRWISE) {
                    pairwise(group, all);
                } else {
                    int replicate = 0;
                    for (JudgingRequested.Output output : group.outputs()) {
                        all.add(new Call(group.prompt(), output, null, ++replicate));
                    }
                }
            }
            calls = List.copyOf(all);
        }
        return calls;
    }

    private void pairwise(Group group, List<Call> all) {
        int lanes = group.outputs().size();
        if (lanes < 2) {
            return;
        }
        Map<String, JudgingRequested.Output> byLane = new HashMap<>();
        group.outputs().forEach(o -> byLane.put(o.laneSlug(), o));
        // a degree of lanes - 1 or more already means all pairs: capped, PairSchedule plans the same pairs without
        // walking offsets up to a degree a command may set to any number
        int degree = Math.min(command.pairDegree(), lanes - 1);
        String seed = PairSchedule.seed(command.sourceRunId(), group.prompt().promptId());
        int replicate = 0;
        for (Matchup matchup : PairSchedule.matchups(PairSchedule.plan(byLane.keySet(), degree, seed))) {
            all.add(new Call(group.prompt(), byLane.get(matchup.laneA()), byLane.get(matchup.laneB()), ++replicate));
        }
    }

    /** The prompts with at least one call, by id. */
    public List<String> promptIds() {
        List<String> ids = new ArrayList<>();
        for (Group group : groups) {
            int needed = command.kind() == JudgingKind.PAIRWISE ? 2 : 1;
            if (group.outputs().size() >= needed) {
                ids.add(group.prompt().promptId());
            }
        }
        return ids;
    }

    /** What judge lane {@code judgeSlug}'s call is called: derived from what it judges, in which order. */
    public String generationId(String judgeSlug, Call call) {
        return call.b() == null
                ? EventIds.nameUuid("JudgeRequested", command.runId(), judgeSlug, "rubric", call.a().generationId())
                : EventIds.nameUuid("JudgeRequested", command.runId(), judgeSlug, "pairwise",
                call.a().generationId(), call.b().generationId());
    }

    /**
     * The call as judge lane {@code judge} makes it (attempt 1). The texts are {@link JudgePrompts}': the rubric or
     * the pairwise instruction as the shared context, the writing prompt and the piece(s) as the request's own
     * text; no lane, model or generation id in either.
     */
    public GenerationRequested request(LaneRegistered judge, Call call, int laneGenerations, Instant now) {
        String generationId = generationId(judge.slug(), call);
        return new GenerationRequested(EventIds.nameUuid("GenerationRequested", generationId, "1"),
                GenerationRequested.SCHEMA_VERSION, now, command.runId(), generationId, 1, judge.conditionId(),
                judge.slug(), judge.provider(), judge.model(), judge.apiModelId(), judge.parameters(),
                call.prompt().promptId(), call.prompt().promptVersion(), promptText(call), sharedContext(),
                call.replicate(),
                command.mode(), false, command.dryRun(), command.cache(), laneGenerations, subject(call));
    }

    /** The request's own text: the writing prompt and the piece, or the pieces as A and B. */
    public String promptText(Call call) {
        return call.b() == null
                ? JudgePrompts.rubricPrompt(call.prompt().text(), call.a().text())
                : JudgePrompts.pairwisePrompt(call.prompt().text(), call.a().text(), call.b().text());
    }

    /** The instruction every call of the pass shares (built once: one instance for every request). */
    public String sharedContext() {
        if (sharedContext == null) {
            sharedContext = command.kind() == JudgingKind.PAIRWISE
                    ? JudgePrompts.pairwiseContext(command.rubric()) : JudgePrompts.rubricContext(command.rubric());
        }
        return sharedContext;
    }

    private JudgeSubject subject(Call call) {
        if (call.b() == null) {
            return new JudgeSubject(JudgingKind.RUBRIC, command.sourceRunId(), call.prompt().promptId(),
                    call.a().generationId(), call.a().laneSlug(), null, null, command.rubric().criterionNames(),
                    command.rubric().scaleMin(), command.rubric().scaleMax());
        }
        return new JudgeSubject(JudgingKind.PAIRWISE, command.sourceRunId(), call.prompt().promptId(),
                call.a().generationId(), call.a().laneSlug(), call.b().generationId(), call.b().laneSlug(), List.of(),
                0, 0);
    }
}
