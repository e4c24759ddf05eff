package io.apexaudition.planner.messaging;

import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.JudgingKind;
import io.apexaudition.events.JudgingRequested;
import io.apexaudition.events.JudgingRubric;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.Usage;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.JudgingFixtures;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.RunStates;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.apexaudition.planner.domain.JudgingFixtures.FIFTEEN_LANES;
import static io.apexaudition.planner.domain.JudgingFixtures.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

/** Judging commands through the planner's topology: accepted, refused, replayed and retried. */
class JudgingTopologyTest {
    private static final String JUDGING = "run-src.judge-1";

    private PlannerDriver planner;

    @BeforeEach
    void setUp() {
        start(RunPlanner.Caps.DEFAULT);
    }

    private void start(RunPlanner.Caps caps) {
        // the ingested prompt says something else than the judge requests: a retry must not take it
        planner = new PlannerDriver("planner-judging-test", caps, JudgingFixtures.sourceRuns()).with(
                Fixtures.gpt5Min(), Fixtures.sonnetStd(), JudgingFixtures.judge4o(), JudgingFixtures.judgeSonnet(),
                Fixtures.prompt(1));
    }

    @AfterEach
    void tearDown() {
        planner.close();
    }

    private void send(JudgingRequested command) {
        // a lone surrogate escaped, as a JSON producer sends it (the String serde would turn it into '?')
        planner.commands.pipeInput(command.runId(), EventJson.write(command).replace("\ud800", "\\ud800"));
    }

    private static JudgingRequested pairwise() {
        return JudgingFixtures.command(JUDGING, JudgingKind.PAIRWISE, FIFTEEN_LANES.subList(0, 6), 2);
    }

    private List<GenerationRequested> requests(PlannerDriver.Requests topic) {
        return topic.readValuesToList().stream().map(v -> EventJson.read(v, GenerationRequested.class)).toList();
    }

    @Test
    void shouldAcceptAJudgingCommandAndSendEachJudgesRequestsToItsProviderKeyedByRunAndJudgeLane() {
        // given a pairwise command over 6 lanes on 2 prompts (degree 4: 12 pairs per prompt), two judges
        JudgingRequested command = pairwise();

        // when it is published
        send(command);

        // then the judging run is accepted with one planned lane per judge, and each judge's 48 requests follow
        RunAccepted accepted = EventJson.read(planner.runs.readValue(), RunAccepted.class);
        assertThat(accepted.runId()).isEqualTo(JUDGING);
        assertThat(accepted.expectedGenerations()).isEqualTo(2 * 2 * 12 * 2);
        assertThat(accepted.lanes()).extracting(l -> l.slug() + "=" + l.expectedGenerations())
                .containsExactly("judge.4o=48", "judge.sonnet=48");
        var toOpenai = planner.openai.readKeyValuesToList();
        var toAnthropic = planner.anthropic.readKeyValuesToList();
        assertThat(toOpenai).hasSize(48).allMatch(kv -> kv.key.equals(JUDGING + "/judge.4o"));
        assertThat(toAnthropic).hasSize(48).allMatch(kv -> kv.key.equals(JUDGING + "/judge.sonnet"));
        assertThat(toOpenai).extracting(kv -> EventJson.read(kv.value, GenerationRequested.class).judging())
                .allMatch(j -> j.kind() == JudgingKind.PAIRWISE && j.sourceRunId().equals(SOURCE));
        assertThat(planner.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldCompleteTheJudgingRunWhenEveryJudgeRequestHasItsResult() {
        // given an accepted rubric pass of 2 judges over 3 outputs
        send(JudgingFixtures.command(JUDGING, JudgingKind.RUBRIC, FIFTEEN_LANES.subList(0, 3), 1));
        assertThat(EventJson.read(planner.runs.readValue(), RunAccepted.class).expectedGenerations()).isEqualTo(6);
        List<GenerationRequested> sent = new ArrayList<>(requests(planner.openai));
        sent.addAll(requests(planner.anthropic));

        // when every judge call comes back
        for (GenerationRequested r : sent) {
            GenerationCompleted done = new GenerationCompleted("e-" + r.generationId(), 1, Fixtures.AT, r.runId(),
                    r.generationId(), 1, r.conditionId(), r.conditionSlug(), r.promptId(), r.promptVersion(),
                    r.provider(), r.model(), RunMode.BATCH, "b", EventIds.customId(r.generationId(), 1),
                    GenerationStatus.COMPLETED, "{\"scores\":{}}", "stop", Usage.NONE, false,
                    new BigDecimal("0.001"), null, null, null);
            planner.results.pipeInput(done.key(), EventJson.write(done));
        }

        // then the judging run completes like any run
        assertThat(planner.runs.readValuesToList()).map(EventJson::read).filteredOn(RunCompleted.class::isInstance)
                .singleElement().satisfies(e -> {
                    RunCompleted c = (RunCompleted) e;
                    assertThat(c.runId()).isEqualTo(JUDGING);
                    assertThat(c.completed()).isEqualTo(6);
                });
    }

    static Stream<Arguments> refusals() {
        JudgingRequested ok = JudgingFixtures.command(JUDGING, JudgingKind.RUBRIC, FIFTEEN_LANES.subList(0, 3), 2);
        JudgingRubric rubric = ok.rubric();
        return Stream.of(
                refusal("an unknown source run", ok, c -> with(c, "run-nobody", c.judgeConditionSlugs(), c.kind(),
                        c.rubric(), c.pairDegree(), c.prompts(), c.outputs()),
                        "source run 'run-nobody' is unknown to the planner", "`apex status` lists the runs"),
                refusal("a source run still going", ok, c -> with(c, "run-going", c.judgeConditionSlugs(), c.kind(),
                        c.rubric(), c.pairDegree(), c.prompts(), c.outputs()),
                        "source run 'run-going' has not completed yet", "wait until `apex status run-going`"),
                refusal("a rejected source run", ok, c -> with(c, "run-refused", c.judgeConditionSlugs(), c.kind(),
                        c.rubric(), c.pairDegree(), c.prompts(), c.outputs()),
                        "source run 'run-refused' was rejected", "judge a run that was accepted and has completed"),
                refusal("an unregistered judge lane", ok, c -> with(c, SOURCE, List.of("judge.4o", "judge.gemini"),
                        c.kind(), c.rubric(), c.pairDegree(), c.prompts(), c.outputs()),
                        "unknown judge lane 'judge.gemini'", "`apex lanes register --config config/judging/judges.yaml`"),
                refusal("no judge lane", ok, c -> with(c, SOURCE, List.of(), c.kind(), c.rubric(), c.pairDegree(),
                        c.prompts(), c.outputs()), "no judge lane chosen", "\"judgeConditionSlugs\""),
                refusal("an invalid rubric", ok, c -> with(c, SOURCE, c.judgeConditionSlugs(), c.kind(),
                        new JudgingRubric(rubric.name(), rubric.instruction(), rubric.criteria(), 10, 1,
                                rubric.answerFormat(), rubric.pairwiseInstruction(), rubric.pairwiseAnswerFormat()),
                        c.pairDegree(), c.prompts(), c.outputs()),
                        "rubric: 'scale' must run from a minimum up to a larger maximum, not 10..1", "{min: 1, max: 10}"),
                refusal("no outputs", ok, c -> with(c, SOURCE, c.judgeConditionSlugs(), c.kind(), c.rubric(),
                        c.pairDegree(), c.prompts(), List.of()), "lists no outputs to judge",
                        "list the source run's completed outputs"),
                refusal("an output of an unlisted prompt", ok, c -> with(c, SOURCE, c.judgeConditionSlugs(), c.kind(),
                        c.rubric(), c.pairDegree(), c.prompts().subList(0, 1), c.outputs()),
                        "answers prompt 'p02', which prompts does not list", "\"promptId\": \"p02\""),
                refusal("an output text with a NUL", ok, c -> with(c, SOURCE, c.judgeConditionSlugs(), c.kind(),
                        c.rubric(), c.pairDegree(), c.prompts(), List.of(JudgingFixtures.output("4o.t0-6", 1, 1,
                                "nul \u0000 here"))), "outputs[0].text holds the control character U+0000 (NUL)",
                        "remove it"),
                refusal("a writing prompt with a lone surrogate", ok, c -> with(c, SOURCE, c.judgeConditionSlugs(),
                        c.kind(), c.rubric(), c.pairDegree(), List.of(new JudgingRequested.Prompt("p01", 1, "half \ud800"),
                                c.prompts().get(1)), c.outputs()), "prompts[0].text holds a lone UTF-16 surrogate",
                        "send the text as valid UTF-8"),
                refusal("a pair degree of 0", ok, c -> with(c, SOURCE, c.judgeConditionSlugs(), JudgingKind.PAIRWISE,
                        c.rubric(), 0, c.prompts(), c.outputs()), "pairDegree 0 is below 1", "use 1 or more"),
                refusal("a pairwise pass with one lane per prompt", ok, c -> with(c, SOURCE, c.judgeConditionSlugs(),
                        JudgingKind.PAIRWISE, c.rubric(), c.pairDegree(), c.prompts(),
                        c.outputs().stream().filter(o -> o.laneSlug().equals("gpt5.reason-min")).toList()),
                        "no prompt has outputs of two lanes", "include the outputs of more lanes"),
                refusal("a judging run id that is not plain", ok, c -> new JudgingRequested(c.eventId(), 1,
                        Fixtures.AT, "judge me", SOURCE, c.judgeConditionSlugs(), c.kind(), c.rubric(),
                        c.pairDegree(), c.mode(), c.dryRun(), c.cache(), c.createdBy(), c.notes(), c.prompts(),
                        c.outputs()), "runId 'judge me' is missing or not plain", "e.g. \"run-2026-11-26-a\""));
    }

    private static Arguments refusal(String what, JudgingRequested ok, UnaryOperator<JudgingRequested> change,
                                     String problem, String fix) {
        return Arguments.of(what, change.apply(ok), problem, fix);
    }

    private static JudgingRequested with(JudgingRequested c, String source, List<String> judges, JudgingKind kind,
                                         JudgingRubric rubric, int degree, List<JudgingRequested.Prompt> prompts,
                                         List<JudgingRequested.Output> outputs) {
        return new JudgingRequested(c.eventId(), 1, Fixtures.AT, c.runId(), source, judges, kind, rubric, degree,
                c.mode(), c.dryRun(), c.cache(), c.createdBy(), c.notes(), prompts, outputs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void shouldRejectAJudgingCommandNamingTheProblemAndItsFixAndSendNothing(String what, JudgingRequested command,
                                                                           String problem, String fix) {
        // when a command with the problem is published
        send(command);

        // then it is rejected under its run id with the problem and its fix, and no judge request is sent
        RunRejected rejected = EventJson.read(planner.runs.readValue(), RunRejected.class);
        assertThat(rejected.runId()).isEqualTo(command.runId().equals("judge me") ? "judge me" : JUDGING);
        assertThat(rejected.problems()).as(what).anySatisfy(p -> assertThat(p).contains(problem).contains(fix));
        assertThat(rejected.rawCommand()).contains("JudgingRequested");
        assertThat(planner.runs.isEmpty()).isTrue();
        assertThat(planner.openai.isEmpty()).isTrue();
        assertThat(planner.anthropic.isEmpty()).isTrue();
    }

    @Test
    void shouldAcceptTheReadmesExampleJudgingCommand() throws Exception {
        // given the README's example, and its source run completed
        String line = Files.readAllLines(Path.of("../README.md")).stream()
                .filter(l -> l.startsWith("run-2026-11-26-a.judge-1|")).findFirst().orElseThrow();
        RunStates sources = new RunStates();
        sources.apply(new RunCompleted("c", 1, Fixtures.AT, "run-2026-11-26-a", 2, 2, 0, 0, BigDecimal.ONE));
        planner.close();
        planner = new PlannerDriver("planner-judging-readme", RunPlanner.Caps.DEFAULT, sources)
                .with(JudgingFixtures.judge4o());

        // when it is pasted into the console producer
        planner.commands.pipeInput(line.substring(0, line.indexOf('|')), line.substring(line.indexOf('|') + 1));

        // then the judge scores both outputs
        RunAccepted accepted = EventJson.read(planner.runs.readValue(), RunAccepted.class);
        assertThat(accepted.runId()).isEqualTo("run-2026-11-26-a.judge-1");
        assertThat(accepted.expectedGenerations()).isEqualTo(2);
        assertThat(requests(planner.openai)).hasSize(2);
    }

    @Test
    void shouldRejectAPassOverTheCapsTheServiceWasGiven() {
        // given a planner capped at 50 generations per run
        planner.close();
        start(new RunPlanner.Caps(50, new BigDecimal("5000")));

        // when a pass of 96 judge requests arrives
        send(pairwise());

        // then it is refused with the cap and the knob named
        RunRejected rejected = EventJson.read(planner.runs.readValue(), RunRejected.class);
        assertThat(rejected.problems()).singleElement().asString().contains("plans 96 judge requests")
                .contains("apex judge --limit N").contains("APEX_PLANNER_MAX_RUN_GENERATIONS");
        assertThat(planner.openai.isEmpty()).isTrue();
    }

    @Test
    void shouldParkAJudgingCommandWhoseRunIdNamesAPlannedRunWithoutRejectingThatRun() {
        // given a planned run
        planner.commands.pipeInput("run-taken", "{\"runId\":\"run-taken\",\"conditionSlugs\":[\"gpt5.reason-min\"]}");
        assertThat(EventJson.read(planner.runs.readValue(), RunAccepted.class).runId()).isEqualTo("run-taken");
        planner.openai.readValuesToList();

        // when a judging command takes its id
        JudgingRequested command = JudgingFixtures.command("run-taken", JudgingKind.RUBRIC, FIFTEEN_LANES.subList(0, 2),
                1);
        send(command);

        // then it is parked as any command naming a planned run is, and the run is not marked rejected
        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("run id 'run-taken' was already planned").contains("new runId");
        assertThat(planner.runs.isEmpty()).isTrue();
        assertThat(planner.openai.isEmpty()).isTrue();
        assertThat(planner.anthropic.isEmpty()).isTrue();
    }

    @Test
    void shouldPlanAReplayedJudgingCommandOnce() {
        // given an accepted judging command
        send(pairwise());
        assertThat(planner.runs.readValuesToList()).hasSize(1);
        int sent = planner.openai.readValuesToList().size() + planner.anthropic.readValuesToList().size();
        assertThat(sent).isEqualTo(96);

        // when the same command is published again
        send(pairwise());

        // then nothing more is planned, and the replay is parked with the reason
        assertThat(planner.runs.isEmpty()).isTrue();
        assertThat(planner.openai.isEmpty()).isTrue();
        assertThat(planner.anthropic.isEmpty()).isTrue();
        assertThat(EventJson.read(planner.deadLetters.readValue(), DeadLettered.class).reason())
                .contains("was already planned");
    }

    @Test
    void shouldRetryAJudgeRequestWithTheSameTextsAsAttemptTwo() {
        // given an accepted pairwise pass, one of whose judge calls ended in an error
        send(pairwise());
        planner.runs.readValuesToList();
        List<KeyValue<String, String>> sent = planner.anthropic.readKeyValuesToList();
        planner.openai.readValuesToList();
        GenerationRequested failed = EventJson.read(sent.get(5).value, GenerationRequested.class);

        // when `apex retry` sends it again, naming the judge lane version and the source prompt
        RetryRequested retry = new RetryRequested("e-retry", 1, Fixtures.AT, JUDGING, "retry-1", RunMode.BATCH, true,
                List.of(new RetryRequested.Item(failed.generationId(), 1, failed.conditionId(),
                        failed.conditionSlug(), failed.promptId(), failed.promptVersion(), failed.replicate())));
        planner.commands.pipeInput(JUDGING, EventJson.write(retry));

        // then the same judge request goes out again as attempt 2, texts and subject unchanged, on the same key
        List<KeyValue<String, String>> again = planner.anthropic.readKeyValuesToList();
        assertThat(again).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(sent.get(5).key);
            GenerationRequested r = EventJson.read(kv.value, GenerationRequested.class);
            assertThat(r.generationId()).isEqualTo(failed.generationId());
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.promptText()).isEqualTo(failed.promptText()).doesNotContain("Write piece number");
            assertThat(r.sharedContext()).isEqualTo(failed.sharedContext());
            assertThat(r.judging()).isEqualTo(failed.judging());
            assertThat(r.promptId()).isEqualTo(failed.promptId());
            assertThat(r.promptVersion()).isEqualTo(failed.promptVersion());
            assertThat(r.laneGenerations()).isEqualTo(1);
        });
        assertThat(planner.openai.isEmpty()).isTrue();
        assertThat(planner.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldParkARetryOfAJudgingRunNamingAGenerationThatIsNoJudgeRequestOfIt() {
        send(pairwise());
        planner.runs.readValuesToList();

        planner.commands.pipeInput(JUDGING, EventJson.write(new RetryRequested("e-retry", 1, Fixtures.AT, JUDGING, "retry-2",
                RunMode.BATCH, true, List.of(new RetryRequested.Item("g-unknown", 1, "cond-judge-4o-v1", "judge.4o",
                "p01", 2, 1)))));

        assertThat(EventJson.read(planner.deadLetters.readValue(), DeadLettered.class).reason())
                .contains("g-unknown is not a judge request of judging run " + JUDGING);
    }
}
