package io.apexaudition.planner.domain;

import io.apexaudition.core.RubricConfig;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.JudgingRubric;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.Providers;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRejected;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Judge lanes, the shipped rubric and judging commands over a finished run, as the planner finds them. */
public final class JudgingFixtures {
    /** The completed run the commands judge. */
    public static final String SOURCE = "run-src";
    /** The audition's 15 lanes (config/creative_benchmark.yaml). */
    public static final List<String> FIFTEEN_LANES = List.of("gpt5.reason-min", "gpt5.reason-med", "gpt5.reason-high",
            "o3.reason-low", "o3.reason-med", "o3.reason-high", "4o.t0-6", "4o.t0-8", "4o.t1-0", "sonnet.t0-8.std",
            "sonnet.t1-0.std", "sonnet.t1-0.ext", "opus.t0-8.std", "opus.t1-0.std", "opus.t1-0.ext");
    /** Every model name and API model id of the catalog's writing and judge lanes. */
    public static final List<String> MODEL_NAMES = List.of("gpt-5", "gpt-4o", "claude-sonnet-4.5", "claude-sonnet-4-5",
            "claude-opus-4.1", "claude-opus-4-1");

    private JudgingFixtures() {
    }

    public static JudgingRubric rubric() {
        return RubricConfig.load(Path.of("../config/judging/rubric.yaml"));
    }

    public static LaneRegistered judge4o() {
        return new LaneRegistered("e-j1", 1, Fixtures.AT, "cond-judge-4o-v1", "judge.4o", 1, Providers.OPENAI,
                "gpt-4o", "gpt-4o", new LaneParameters(0.0, 800, null, null, null), "hj1",
                "Judge: GPT-4o, temperature 0");
    }

    public static LaneRegistered judgeSonnet() {
        return new LaneRegistered("e-j2", 1, Fixtures.AT, "cond-judge-sonnet-v1", "judge.sonnet", 1,
                Providers.ANTHROPIC, "claude-sonnet-4.5", "claude-sonnet-4-5",
                new LaneParameters(0.0, 800, null, null, null), "hj2", "Judge: Claude Sonnet 4.5, temperature 0");
    }

    /** Writing prompts p01..pNN of the source run, each with its own text. */
    public static List<JudgingRequested.Prompt> prompts(int count) {
        List<JudgingRequested.Prompt> prompts = new ArrayList<>();
        for (int p = 1; p <= count; p++) {
            prompts.add(new JudgingRequested.Prompt(promptId(p), 2, "Write a short piece about harbour number " + p
                    + ". Keep it under 300 words."));
        }
        return prompts;
    }

    /** One output (replicate 1) of each lane for each prompt, with the ids the source run gave them. */
    public static List<JudgingRequested.Output> outputs(List<String> lanes, int promptCount) {
        List<JudgingRequested.Output> outputs = new ArrayList<>();
        for (int p = 1; p <= promptCount; p++) {
            for (int l = 0; l < lanes.size(); l++) {
                outputs.add(output(lanes.get(l), p, 1, "Piece " + (l + 1) + " on prompt " + p + ": the tide came in "
                        + "grey and slow, and the gulls wrote their names on it."));
            }
        }
        return outputs;
    }

    public static JudgingRequested.Output output(String lane, int prompt, int replicate, String text) {
        return new JudgingRequested.Output(EventIds.generationId(SOURCE, lane, promptId(prompt), replicate),
                promptId(prompt), lane, replicate, text);
    }

    public static String promptId(int p) {
        return String.format(Locale.ROOT, "p%02d", p);
    }

    public static JudgingRequested command(String runId, JudgingKind kind, List<String> judges, int pairDegree,
                                           List<JudgingRequested.Prompt> prompts,
                                           List<JudgingRequested.Output> outputs) {
        return new JudgingRequested("e-" + runId, 1, Fixtures.AT, runId, SOURCE, judges, kind, rubric(), pairDegree,
                RunMode.BATCH, false, true, "ada", "judging the harbour run", prompts, outputs);
    }

    /** Both judges, the given lanes on the given number of prompts. */
    public static JudgingRequested command(String runId, JudgingKind kind, List<String> lanes, int prompts) {
        return command(runId, kind, List.of("judge.4o", "judge.sonnet"), JudgingRequested.DEFAULT_PAIR_DEGREE,
                prompts(prompts), outputs(lanes, prompts));
    }

    /** What apex.runs says of the source run ({@link #SOURCE}: completed), one run still going and a rejected one. */
    public static RunStates sourceRuns() {
        RunStates states = new RunStates();
        states.apply(new RunAccepted("a1", 1, Fixtures.AT, SOURCE, RunMode.BATCH, false, false, true, null, 1, "ada",
                null, List.of(), List.of(), 1));
        states.apply(new RunCompleted("c1", 1, Fixtures.AT, SOURCE, 1, 1, 0, 0, BigDecimal.ONE));
        states.apply(new RunAccepted("a2", 1, Fixtures.AT, "run-going", RunMode.BATCH, false, false, true, null, 1,
                "ada", null, List.of(), List.of(), 1));
        states.apply(new RunRejected("r3", 1, Fixtures.AT, "run-refused", "no lane chosen", List.of(), "{}"));
        return states;
    }
}
