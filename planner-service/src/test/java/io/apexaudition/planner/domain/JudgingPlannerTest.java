package io.apexaudition.planner.domain;

import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.judging.JudgePrompts;
import io.apexaudition.core.judging.LanePair;
import io.apexaudition.core.judging.PairSchedule;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.JudgeSubject;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRejected;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.apexaudition.planner.domain.JudgingFixtures.FIFTEEN_LANES;
import static io.apexaudition.planner.domain.JudgingFixtures.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

class JudgingPlannerTest {
    private static final Clock CLOCK = Clock.fixed(Fixtures.AT, ZoneOffset.UTC);
    private final JudgingPlanner planner = new JudgingPlanner(CLOCK, RunPlanner.Caps.DEFAULT, ModelCatalog.bundled());
    private final Map<String, LaneRegistered> lanes = Map.of("judge.4o", JudgingFixtures.judge4o(), "judge.sonnet",
            JudgingFixtures.judgeSonnet(), "gpt5.reason-min", Fixtures.gpt5Min());

    private RunPlanner.Accepted accepted(JudgingRequested command) {
        RunPlanner.Outcome outcome = planner.plan(command, lanes, SourceRuns.State.COMPLETED, "{}");
        assertThat(outcome).as("%s", outcome).isInstanceOf(RunPlanner.Accepted.class);
        return (RunPlanner.Accepted) outcome;
    }

    private RunRejected rejected(JudgingRequested command, SourceRuns.State source) {
        RunPlanner.Outcome outcome = planner.plan(command, lanes, source, "{}");
        assertThat(outcome).isInstanceOf(RunPlanner.Rejected.class);
        return ((RunPlanner.Rejected) outcome).rejected();
    }

    private static Map<String, List<GenerationRequested>> byJudge(List<GenerationRequested> requests) {
        return requests.stream().collect(Collectors.groupingBy(GenerationRequested::conditionSlug));
    }

    @Test
    void shouldPlanOneRubricRequestPerJudgeLaneAndOutput() {
        // given two judge lanes and the outputs of three lanes on two prompts
        JudgingRequested command = JudgingFixtures.command("run-src.judge-1", JudgingKind.RUBRIC,
                List.of("gpt5.reason-min", "4o.t0-6", "opus.t0-8.std"), 2);

        // when it is planned
        RunPlanner.Accepted accepted = accepted(command);

        // then each judge judges each of the 6 outputs once, and the run expects judges x outputs
        List<GenerationRequested> requests = List.copyOf(accepted.requests());
        assertThat(requests).hasSize(2 * 6);
        assertThat(accepted.accepted().expectedGenerations()).isEqualTo(12);
        assertThat(accepted.accepted().lanes()).extracting(PlannedLane::slug, PlannedLane::conditionId,
                PlannedLane::expectedGenerations).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("judge.4o", "cond-judge-4o-v1", 6),
                        org.assertj.core.groups.Tuple.tuple("judge.sonnet", "cond-judge-sonnet-v1", 6));
        assertThat(accepted.accepted().promptIds()).containsExactly("p01", "p02");
        byJudge(requests).values().forEach(judged -> assertThat(judged)
                .extracting(r -> r.judging().generationIdA())
                .containsExactlyInAnyOrderElementsOf(command.outputs().stream()
                        .map(JudgingRequested.Output::generationId).toList()));
        assertThat(requests).extracting(GenerationRequested::generationId).doesNotHaveDuplicates();
    }

    @Test
    void shouldBuildEachRubricRequestFromTheJudgeLaneTheSourcePromptAndTheRubric() {
        // given a rubric pass of one judge over one output
        JudgingRequested.Output output = JudgingFixtures.output("4o.t0-6", 1, 1, "The tide came in.");
        JudgingRequested command = JudgingFixtures.command("run-src.judge-1", JudgingKind.RUBRIC,
                List.of("judge.sonnet"), 4, JudgingFixtures.prompts(1), List.of(output));

        // when it is planned
        GenerationRequested request = accepted(command).requests().get(0);

        // then the lane's version, the source prompt's id and version, JudgePrompts' texts and what is judged
        LaneRegistered judge = JudgingFixtures.judgeSonnet();
        assertThat(request.runId()).isEqualTo("run-src.judge-1");
        assertThat(request.conditionId()).isEqualTo(judge.conditionId());
        assertThat(request.provider()).isEqualTo(judge.provider());
        assertThat(request.apiModelId()).isEqualTo(judge.apiModelId());
        assertThat(request.parameters()).isEqualTo(judge.parameters());
        assertThat(request.promptId()).isEqualTo("p01");
        assertThat(request.promptVersion()).isEqualTo(2);
        assertThat(request.promptText()).isEqualTo(JudgePrompts.rubricPrompt(command.prompts().get(0).text(),
                "The tide came in."));
        assertThat(request.sharedContext()).isEqualTo(JudgePrompts.rubricContext(command.rubric()));
        assertThat(request.attempt()).isEqualTo(1);
        assertThat(request.replicate()).isEqualTo(1);
        assertThat(request.laneGenerations()).isEqualTo(1);
        assertThat(request.mode()).isEqualTo(RunMode.BATCH);
        assertThat(request.verifyFirst()).isFalse();
        assertThat(request.judging()).isEqualTo(new JudgeSubject(JudgingKind.RUBRIC, SOURCE, "p01",
                output.generationId(), "4o.t0-6", null, null, command.rubric().criterionNames(), 1, 10));
    }

    @Test
    void shouldJudgeEveryScheduledPairInBothOrdersOnAConnectedSchedule() {
        // given a pairwise pass over seven lanes on three prompts at degree 2
        List<String> seven = FIFTEEN_LANES.subList(0, 7);
        JudgingRequested command = JudgingFixtures.command("run-src.judge-2", JudgingKind.PAIRWISE,
                List.of("judge.4o"), 2, JudgingFixtures.prompts(3), JudgingFixtures.outputs(seven, 3));

        // when it is planned
        List<GenerationRequested> requests = List.copyOf(accepted(command).requests());

        // then on each prompt every pair is shown A/B and B/A, the pairs are PairSchedule's, and they connect all lanes
        Map<String, List<GenerationRequested>> byPrompt = requests.stream()
                .collect(Collectors.groupingBy(GenerationRequested::promptId));
        assertThat(byPrompt).hasSize(3);
        byPrompt.forEach((promptId, judged) -> {
            Set<List<String>> orders = judged.stream().map(r -> List.of(r.judging().laneA(), r.judging().laneB()))
                    .collect(Collectors.toSet());
            assertThat(orders).hasSize(judged.size()).allSatisfy(o -> assertThat(orders)
                    .contains(List.of(o.get(1), o.get(0))));
            List<LanePair> pairs = judged.stream().map(r -> LanePair.of(r.judging().laneA(), r.judging().laneB()))
                    .distinct().sorted().toList();
            assertThat(pairs).isEqualTo(PairSchedule.plan(seven, 2, PairSchedule.seed(SOURCE, promptId)));
            assertThat(PairSchedule.connected(seven, pairs)).isTrue();
            assertThat(judged).extracting(GenerationRequested::replicate)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, judged.size()).boxed().toList());
            String writingPrompt = command.prompts().stream().filter(p -> p.promptId().equals(promptId))
                    .findFirst().orElseThrow().text();
            assertThat(judged).allSatisfy(r -> assertThat(r.promptText()).isEqualTo(JudgePrompts.pairwisePrompt(
                    writingPrompt, text(command, r.judging().generationIdA()),
                    text(command, r.judging().generationIdB()))));
        });
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.sharedContext()).isEqualTo(JudgePrompts.pairwiseContext(command.rubric()));
            assertThat(r.judging().kind()).isEqualTo(JudgingKind.PAIRWISE);
            assertThat(r.judging().criteria()).isEmpty();
        });
    }

    private static String text(JudgingRequested command, String generationId) {
        return command.outputs().stream().filter(o -> o.generationId().equals(generationId)).findFirst()
                .orElseThrow().text();
    }

    @Test
    void shouldJudgeTheLowestReplicateOfEachLaneInAPairwisePass() {
        // given two lanes on one prompt, one of them with two replicates listed highest first
        JudgingRequested.Output second = JudgingFixtures.output("4o.t0-6", 1, 2, "second try");
        JudgingRequested.Output first = JudgingFixtures.output("4o.t0-6", 1, 1, "first try");
        JudgingRequested.Output other = JudgingFixtures.output("opus.t0-8.std", 1, 1, "other lane");
        JudgingRequested command = JudgingFixtures.command("run-src.judge-3", JudgingKind.PAIRWISE,
                List.of("judge.4o"), 4, JudgingFixtures.prompts(1), List.of(second, other, first));

        // when it is planned
        List<GenerationRequested> requests = List.copyOf(accepted(command).requests());

        // then one pair in both orders, and the lane's replicate 1 is the one judged
        assertThat(requests).hasSize(2);
        assertThat(requests).flatExtracting(r -> List.of(r.judging().generationIdA(), r.judging().generationIdB()))
                .containsOnly(first.generationId(), other.generationId());
    }

    @Test
    void shouldPlanTwoOrdersOfThirtyPairsOnEachOfTwentyOnePromptsPerJudgeForFifteenLanesAtDegreeFour() {
        // given the audition's 15 lanes on its 21 prompts, two judges, the default degree 4
        JudgingRequested command = JudgingFixtures.command("run-src.judge-4", JudgingKind.PAIRWISE, FIFTEEN_LANES, 21);

        // when it is planned
        RunPlanner.Accepted accepted = accepted(command);

        // then each judge makes 2 x 30 x 21 calls, each prompt's 30 pairs connecting the 15 lanes
        assertThat(accepted.accepted().lanes()).extracting(PlannedLane::expectedGenerations)
                .containsExactly(2 * 30 * 21, 2 * 30 * 21);
        List<GenerationRequested> requests = List.copyOf(accepted.requests());
        assertThat(requests).hasSize(2 * 2 * 30 * 21);
        byJudge(requests).forEach((judge, judged) -> {
            assertThat(judged).hasSize(2 * 30 * 21).allMatch(r -> r.laneGenerations() == 2 * 30 * 21);
            judged.stream().collect(Collectors.groupingBy(GenerationRequested::promptId)).forEach((p, calls) -> {
                List<LanePair> pairs = calls.stream().map(r -> LanePair.of(r.judging().laneA(), r.judging().laneB()))
                        .distinct().toList();
                assertThat(pairs).hasSize(30);
                assertThat(PairSchedule.connected(FIFTEEN_LANES, pairs)).isTrue();
            });
        });
        assertThat(requests).extracting(GenerationRequested::generationId).doesNotHaveDuplicates();
    }

    @Test
    void shouldShowTheJudgeNoLaneModelOrGenerationIdInAnyText() {
        // given a rubric pass and a pairwise pass over all 15 lanes
        for (JudgingKind kind : JudgingKind.values()) {
            JudgingRequested command = JudgingFixtures.command("run-src.judge-" + kind, kind, FIFTEEN_LANES, 2);

            // when they are planned
            List<GenerationRequested> requests = List.copyOf(accepted(command).requests());

            // then no text sent to a judge names a lane, a model or a generation
            List<String> secrets = new ArrayList<>(FIFTEEN_LANES);
            secrets.addAll(JudgingFixtures.MODEL_NAMES);
            secrets.addAll(List.of("judge.4o", "judge.sonnet", SOURCE));
            command.outputs().forEach(o -> secrets.add(o.generationId()));
            assertThat(requests).isNotEmpty().allSatisfy(r -> {
                for (String secret : secrets) {
                    assertThat(r.promptText()).doesNotContain(secret);
                    assertThat(r.sharedContext()).doesNotContain(secret);
                }
            });
        }
    }

    @Test
    void shouldPlanEqualEventsWhenTheSameCommandIsPlannedTwice() {
        for (JudgingKind kind : JudgingKind.values()) {
            // given a command
            JudgingRequested command = JudgingFixtures.command("run-src.judge-5", kind, FIFTEEN_LANES, 3);

            // when it is planned twice
            RunPlanner.Accepted once = accepted(command);
            RunPlanner.Accepted again = accepted(command);

            // then the verdicts and the requests are equal, event ids included
            assertThat(again.accepted()).isEqualTo(once.accepted());
            assertThat(List.copyOf(again.requests())).isEqualTo(List.copyOf(once.requests()));
        }
    }

    @Test
    void shouldPlanTheSameRequestsWhateverOrderTheCommandListsItsPromptsAndOutputsIn() {
        // given one command, and the same with its prompts and outputs shuffled
        JudgingRequested command = JudgingFixtures.command("run-src.judge-6", JudgingKind.PAIRWISE,
                FIFTEEN_LANES.subList(0, 9), 4);
        List<JudgingRequested.Prompt> prompts = new ArrayList<>(command.prompts());
        List<JudgingRequested.Output> outputs = new ArrayList<>(command.outputs());
        Collections.shuffle(prompts, new Random(7));
        Collections.shuffle(outputs, new Random(7));
        JudgingRequested shuffled = JudgingFixtures.command("run-src.judge-6", JudgingKind.PAIRWISE,
                command.judgeConditionSlugs(), command.pairDegree(), prompts, outputs);

        // when both are planned, then they plan the same requests
        assertThat(List.copyOf(accepted(shuffled).requests())).isEqualTo(List.copyOf(accepted(command).requests()));
    }

    @Test
    void shouldCountThePairsPairScheduleMakesWithoutMakingThem() {
        for (int n = 0; n <= 30; n++) {
            List<String> lanes = IntStream.range(0, n).mapToObj(i -> "lane-" + i).toList();
            for (int degree = 1; degree <= 33; degree++) {
                long made = n < 2 ? 0 : PairSchedule.plan(lanes, degree, "seed-" + n).size();
                assertThat(JudgingPlan.pairs(n, degree)).as("%d lanes at degree %d", n, degree).isEqualTo(made);
            }
        }
        assertThat(JudgingPlan.pairs(70_000, Integer.MAX_VALUE)).isEqualTo(70_000L * 69_999 / 2);
    }

    @Test
    void shouldListEveryProblemOfABrokenCommandEachNamingItsFix() {
        // given a command that is wrong in many ways at once
        JudgingRequested.Output orphan = JudgingFixtures.output("4o.t0-6", 9, 1, "text\u0000with a NUL");
        JudgingRequested command = new JudgingRequested("e", 1, Fixtures.AT, "run src", SOURCE,
                List.of("judge.nope"), JudgingKind.PAIRWISE, new io.apexaudition.events.JudgingRubric("r", " ",
                List.of(), 5, 5, "JSON", "Compare.", "JSON"), 0, RunMode.BATCH, false, true, "ada", null,
                JudgingFixtures.prompts(1), List.of(orphan));

        // when it is planned against a run still going
        RunRejected rejected = rejected(command, SourceRuns.State.RUNNING);

        // then every problem is listed with its fix
        assertThat(rejected.problems())
                .anyMatch(p -> p.startsWith("runId 'run src' is missing or not plain"))
                .anyMatch(p -> p.contains("source run 'run-src' has not completed yet") && p.contains("apex status"))
                .anyMatch(p -> p.contains("unknown judge lane 'judge.nope'")
                        && p.contains("apex lanes register --config config/judging/judges.yaml"))
                .anyMatch(p -> p.startsWith("rubric: 'instruction' is missing"))
                .anyMatch(p -> p.startsWith("rubric: 'scale' must run from a minimum up to a larger maximum"))
                .anyMatch(p -> p.startsWith("rubric: 'criteria' is empty"))
                .anyMatch(p -> p.startsWith("pairDegree 0 is below 1") && p.contains("use 1 or more"))
                .anyMatch(p -> p.startsWith("outputs[0].text holds the control character U+0000 (NUL)"))
                .anyMatch(p -> p.contains("answers prompt 'p09', which prompts does not list")
                        && p.contains("to prompts"));
        assertThat(rejected.reason()).startsWith(rejected.problems().size() + " problems: ");
        assertThat(rejected.reason() + rejected.problems()).doesNotContain("\u0000");
    }

    @Test
    void shouldSayWhyASourceRunCannotBeJudged() {
        JudgingRequested command = JudgingFixtures.command("run-src.judge-7", JudgingKind.RUBRIC,
                List.of("4o.t0-6"), 1);

        assertThat(rejected(command, SourceRuns.State.UNKNOWN).problems()).singleElement().asString()
                .contains("source run 'run-src' is unknown to the planner").contains("`apex status` lists the runs");
        assertThat(rejected(command, SourceRuns.State.REJECTED).problems()).singleElement().asString()
                .contains("was rejected, so nothing was generated to judge");
    }

    @Test
    void shouldRefuseAPairwisePassWhereNoPromptHasTwoLanes() {
        // given outputs of one lane per prompt
        JudgingRequested command = JudgingFixtures.command("run-src.judge-8", JudgingKind.PAIRWISE,
                List.of("judge.4o"), 4, JudgingFixtures.prompts(2), List.of(
                        JudgingFixtures.output("4o.t0-6", 1, 1, "one"), JudgingFixtures.output("opus.t0-8.std", 2, 1,
                                "two")));

        // when it is planned, then it is refused: there is nothing to compare
        assertThat(rejected(command, SourceRuns.State.COMPLETED).problems()).singleElement().asString()
                .contains("no prompt has outputs of two lanes").contains("judge each output on the rubric");
    }

    @Test
    void shouldRefuseAPassOverTheRunCapsNamingTheKnobs() {
        JudgingRequested command = JudgingFixtures.command("run-src.judge-9", JudgingKind.PAIRWISE, FIFTEEN_LANES, 21);

        // given a planner capped at 1,000 generations per run, then the 2,520 judge requests are refused
        JudgingPlanner small = new JudgingPlanner(CLOCK, new RunPlanner.Caps(1000, new BigDecimal("5000")),
                ModelCatalog.bundled());
        RunRejected tooMany = ((RunPlanner.Rejected) small.plan(command, lanes, SourceRuns.State.COMPLETED, "{}"))
                .rejected();
        assertThat(tooMany.problems()).singleElement().asString().contains("plans 2,520 judge requests")
                .contains("cap of 1,000").contains("apex judge --limit N").contains("APEX_PLANNER_MAX_RUN_GENERATIONS");

        // given a planner capped at one cent per run, then their worst case is refused
        JudgingPlanner poor = new JudgingPlanner(CLOCK, new RunPlanner.Caps(200_000, new BigDecimal("0.01")),
                ModelCatalog.bundled());
        RunRejected tooDear = ((RunPlanner.Rejected) poor.plan(command, lanes, SourceRuns.State.COMPLETED, "{}"))
                .rejected();
        assertThat(tooDear.problems()).singleElement().asString().contains("the judging pass's worst case is USD")
                .contains("at batch prices").contains("APEX_PLANNER_MAX_RUN_COST_USD");

        // but a dry run costs nothing
        JudgingRequested dry = new JudgingRequested(command.eventId(), 1, Fixtures.AT, command.runId(), SOURCE,
                command.judgeConditionSlugs(), command.kind(), command.rubric(), command.pairDegree(), RunMode.BATCH,
                true, true, null, null, command.prompts(), command.outputs());
        assertThat(poor.plan(dry, lanes, SourceRuns.State.COMPLETED, "{}")).isInstanceOf(RunPlanner.Accepted.class);
    }

    @Test
    void shouldListAHundredProblemsAndCountTheRest() {
        // given 500 outputs that each answer an unlisted prompt
        List<JudgingRequested.Output> outputs = IntStream.rangeClosed(1, 500)
                .mapToObj(i -> JudgingFixtures.output("lane-" + i, 99, 1, "text")).toList();
        JudgingRequested command = JudgingFixtures.command("run-src.judge-10", JudgingKind.RUBRIC,
                List.of("judge.4o"), 4, JudgingFixtures.prompts(1), outputs);

        // when it is planned, then the rejection lists 100 of them and says how many more there are
        RunRejected rejected = rejected(command, SourceRuns.State.COMPLETED);
        assertThat(rejected.problems()).hasSize(101);
        assertThat(rejected.problems().get(100)).startsWith("and 400 more problems like these");
        assertThat(rejected.reason()).startsWith("500 problems: ");
    }

    @Test
    void shouldRebuildARetriedJudgeRequestExactlyAsPlannedWithTheNextAttempt() {
        // given an accepted pairwise pass
        JudgingRequested command = JudgingFixtures.command("run-src.judge-11", JudgingKind.PAIRWISE,
                FIFTEEN_LANES.subList(0, 5), 2);
        List<GenerationRequested> planned = List.copyOf(accepted(command).requests());
        GenerationRequested a = planned.get(3);
        GenerationRequested b = planned.get(planned.size() - 1);

        // when two of its requests (one per judge) are retried after their first attempt
        RetryRequested retry = new RetryRequested("e-r", 1, Fixtures.AT, command.runId(), "retry-1", RunMode.BATCH,
                true, List.of(item(a), item(b), item(a)));
        Function<String, Optional<LaneRegistered>> byConditionId = id -> lanes.values().stream()
                .filter(l -> l.conditionId().equals(id)).findFirst();
        RetryPlanner.Plan plan = planner.retry(retry, command, byConditionId);

        // then they are sent again as planned (texts, subject, lane), as attempt 2, each its judge's group of one
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.requests()).hasSize(2);
        for (GenerationRequested original : List.of(a, b)) {
            GenerationRequested again = plan.requests().stream()
                    .filter(r -> r.generationId().equals(original.generationId())).findFirst().orElseThrow();
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(again.promptText()).isEqualTo(original.promptText());
            assertThat(again.sharedContext()).isEqualTo(original.sharedContext());
            assertThat(again.judging()).isEqualTo(original.judging());
            assertThat(again.conditionId()).isEqualTo(original.conditionId());
            assertThat(again.replicate()).isEqualTo(original.replicate());
            assertThat(again.laneGenerations()).isEqualTo(1);
            assertThat(again.eventId()).isNotEqualTo(original.eventId());
        }
    }

    @Test
    void shouldRefuseToRetryAGenerationThatIsNoJudgeRequestOfThePass() {
        JudgingRequested command = JudgingFixtures.command("run-src.judge-12", JudgingKind.RUBRIC,
                List.of("4o.t0-6"), 1);
        RetryRequested retry = new RetryRequested("e-r", 1, Fixtures.AT, command.runId(), "retry-1", RunMode.BATCH,
                true, List.of(new RetryRequested.Item("g-stranger", 1, "cond-judge-4o-v1", "judge.4o", "p01", 2, 1)));

        RetryPlanner.Plan plan = planner.retry(retry, command, id -> Optional.of(JudgingFixtures.judge4o()));

        assertThat(plan.requests()).isEmpty();
        assertThat(plan.problems()).singleElement().asString().contains("g-stranger is not a judge request")
                .contains("apex retry run-src.judge-12");
    }

    private static RetryRequested.Item item(GenerationRequested r) {
        return new RetryRequested.Item(r.generationId(), 1, r.conditionId(), r.conditionSlug(), r.promptId(),
                r.promptVersion(), r.replicate());
    }

    @Test
    void shouldGiveEveryJudgeTheSameCallsSoTheirVerdictsCanBeCompared() {
        JudgingRequested command = JudgingFixtures.command("run-src.judge-13", JudgingKind.PAIRWISE,
                FIFTEEN_LANES.subList(0, 8), 3);

        Map<String, List<GenerationRequested>> byJudge = byJudge(List.copyOf(accepted(command).requests()));

        Set<List<Object>> first = new HashSet<>();
        byJudge.get("judge.4o").forEach(r -> first.add(List.of(r.promptText(), r.judging(), r.replicate())));
        assertThat(byJudge.get("judge.sonnet")).hasSameSizeAs(byJudge.get("judge.4o"))
                .allMatch(r -> first.contains(List.of(r.promptText(), r.judging(), r.replicate())));
    }
}
