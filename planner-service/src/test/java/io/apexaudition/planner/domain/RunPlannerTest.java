package io.apexaudition.planner.domain;

import io.apexaudition.core.LaneConfig;
import io.apexaudition.core.LaneSpec;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.PromptLibrary;
import io.apexaudition.core.PromptSpec;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunPlannerTest {
    private final RunPlanner planner = new RunPlanner(Clock.fixed(Fixtures.AT, ZoneOffset.UTC));
    private final Map<String, LaneRegistered> lanes = Map.of("gpt5.reason-min", Fixtures.gpt5Min(),
            "sonnet.t0-8.std", Fixtures.sonnetStd());
    private final List<PromptIngested> prompts = IntStream.rangeClosed(1, 5).mapToObj(Fixtures::prompt).toList();

    private static RunRequested command(List<String> slugs, boolean all, Integer limit, Integer replicates) {
        return new RunRequested(null, 0, null, "run-1", slugs, all, RunMode.BATCH, false, false, limit, replicates,
                true, "ada", "notes", null);
    }

    private static RunRequested typed(String runId, List<String> slugs, List<String> promptIds, String createdBy,
                                      String notes) {
        return new RunRequested(null, 0, null, runId, slugs, false, RunMode.BATCH, false, false, null, null, true,
                createdBy, notes, promptIds);
    }

    private static RunPlanner capped(long maxGenerations, String maxCostUsd) {
        return new RunPlanner(Clock.fixed(Fixtures.AT, ZoneOffset.UTC),
                new RunPlanner.Caps(maxGenerations, new BigDecimal(maxCostUsd)), ModelCatalog.bundled());
    }

    @Test
    void shouldFanOutOneRequestPerLaneAndPromptAndReplicate() {
        RunPlanner.Outcome outcome = planner.plan(command(List.of(), true, null, 2), lanes, prompts, "{}");

        assertThat(outcome).isInstanceOf(RunPlanner.Accepted.class);
        RunPlanner.Accepted accepted = (RunPlanner.Accepted) outcome;
        assertThat(accepted.requests()).hasSize(2 * 5 * 2);
        assertThat(accepted.accepted().expectedGenerations()).isEqualTo(20);
        assertThat(accepted.accepted().lanes()).extracting(l -> l.expectedGenerations()).containsOnly(10);
        assertThat(accepted.requests()).extracting(GenerationRequested::generationId).doesNotHaveDuplicates();
        assertThat(accepted.requests()).allMatch(r -> r.laneGenerations() == 10 && r.attempt() == 1);
    }

    @Test
    void shouldListRequestsLaneByLaneThenPromptThenReplicateAndYieldTheSameRequestOnEveryRead() {
        // given two lanes, five prompts and two replicates
        RunPlanner.Accepted accepted = (RunPlanner.Accepted) planner.plan(command(List.of(), true, null, 2), lanes,
                prompts, "{}");
        List<GenerationRequested> requests = accepted.requests();

        // when the list is read twice
        List<GenerationRequested> once = List.copyOf(requests);
        List<GenerationRequested> again = List.copyOf(requests);

        // then both reads are equal, ordered lane, prompt, replicate, and the list ends where it says
        assertThat(again).isEqualTo(once);
        assertThat(once.subList(0, 4)).extracting(r -> r.conditionSlug() + "/" + r.promptId() + "/" + r.replicate())
                .containsExactly(once.get(0).conditionSlug() + "/p01/1", once.get(0).conditionSlug() + "/p01/2",
                        once.get(0).conditionSlug() + "/p02/1", once.get(0).conditionSlug() + "/p02/2");
        assertThat(once.get(10).conditionSlug()).isNotEqualTo(once.get(9).conditionSlug());
        assertThatThrownBy(() -> requests.get(20)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldTakeOnlyTheFirstNPromptsWithALimit() {
        RunPlanner.Accepted accepted = (RunPlanner.Accepted) planner.plan(command(List.of("gpt5.reason-min"), false,
                3, null), lanes, prompts, "{}");

        assertThat(accepted.requests()).extracting(GenerationRequested::promptId).containsExactly("p01", "p02", "p03");
        assertThat(accepted.accepted().promptIds()).containsExactly("p01", "p02", "p03");
    }

    @Test
    void shouldNameTheSameGenerationsWhenTheSameCommandIsPlannedAgain() {
        RunRequested run = command(List.of("sonnet.t0-8.std"), false, null, null);

        List<String> first = ((RunPlanner.Accepted) planner.plan(run, lanes, prompts, "{}")).requests().stream()
                .map(GenerationRequested::generationId).toList();
        List<String> second = ((RunPlanner.Accepted) planner.plan(run, lanes, prompts, "{}")).requests().stream()
                .map(GenerationRequested::generationId).toList();

        assertThat(first).isEqualTo(second);
    }

    @Test
    void shouldRejectAnUnknownLaneNamingItAndTheLanesThatExist() {
        RunPlanner.Outcome outcome = planner.plan(command(List.of("sonnet.t1-1.ext"), false, null, null), lanes,
                prompts, "{}");

        assertThat(outcome).isInstanceOf(RunPlanner.Rejected.class);
        assertThat(((RunPlanner.Rejected) outcome).rejected().problems()).singleElement().asString()
                .contains("unknown lane 'sonnet.t1-1.ext'").contains("gpt5.reason-min, sonnet.t0-8.std");
    }

    @Test
    void shouldRejectACommandPlannedAgainWithTheSameEventAndTheSameCommandSentAgainWithANewOne() {
        // given a command naming an unknown lane, and the same command sent again (a new event id)
        RunRequested sent = new RunRequested("cmd-1", 1, null, "run-1", List.of("nope"), false, RunMode.BATCH, false,
                false, null, null, true, "ada", "notes", null);
        RunRequested sentAgain = new RunRequested("cmd-2", 1, null, "run-1", List.of("nope"), false, RunMode.BATCH,
                false, false, null, null, true, "ada", "notes", null);

        // when the first is planned twice (a transaction tried again) and the second once
        String first = ((RunPlanner.Rejected) planner.plan(sent, lanes, prompts, "{}")).rejected().eventId();
        String again = ((RunPlanner.Rejected) planner.plan(sent, lanes, prompts, "{}")).rejected().eventId();
        String resent = ((RunPlanner.Rejected) planner.plan(sentAgain, lanes, prompts, "{}")).rejected().eventId();

        // then the same command is rejected by one event, a command sent again by a new one
        assertThat(again).isEqualTo(first);
        assertThat(resent).isNotEqualTo(first);
    }

    @Test
    void shouldReportEveryProblemOfACommandAtOnce() {
        RunRequested bad = new RunRequested(null, 0, null, "bad/id", List.of("nope"), false, RunMode.BATCH, false,
                false, 0, 0, true, null, null, List.of("p99"));

        RunPlanner.Rejected rejected = (RunPlanner.Rejected) planner.plan(bad, lanes, prompts, "{}");

        assertThat(rejected.rejected().problems()).hasSize(5)
                .anyMatch(p -> p.contains("runId"))
                .anyMatch(p -> p.contains("unknown lane 'nope'"))
                .anyMatch(p -> p.contains("unknown prompt 'p99'"))
                .anyMatch(p -> p.contains("limit 0"))
                .anyMatch(p -> p.contains("replicates 0"));
        assertThat(rejected.rejected().reason()).startsWith("5 problems");
    }

    @Test
    void shouldRejectARunWhenNoPromptIsIngested() {
        RunPlanner.Rejected rejected = (RunPlanner.Rejected) planner.plan(command(List.of(), true, null, null), lanes,
                List.of(), "{}");

        assertThat(rejected.rejected().reason()).contains("no prompts ingested").contains("apex prompts ingest");
    }

    @Test
    void shouldRejectACommandThatChoosesNoLane() {
        RunPlanner.Rejected rejected = (RunPlanner.Rejected) planner.plan(command(List.of(), false, null, null),
                lanes, prompts, "{}");

        assertThat(rejected.rejected().reason()).contains("no lane chosen");
    }

    @Test
    void shouldRejectARunOverTheGenerationCapNamingItsFigureTheCapAndHowToRaiseIt() {
        // given a cap of 15 generations and a run of 2 lanes x 5 prompts x 2 replicates
        RunPlanner planner = capped(15, "5000");

        // when it is planned
        RunPlanner.Outcome outcome = planner.plan(command(List.of(), true, null, 2), lanes, prompts, "{}");

        // then it is rejected, naming the 20, the cap and the setting that raises it
        assertThat(outcome).isInstanceOf(RunPlanner.Rejected.class);
        assertThat(((RunPlanner.Rejected) outcome).rejected().problems()).singleElement().asString()
                .contains("20 generations").contains("cap of 15 per run")
                .contains("APEX_PLANNER_MAX_RUN_GENERATIONS").contains("apex.planner.max-run-generations");
    }

    @Test
    void shouldAcceptARunOfExactlyTheGenerationCap() {
        assertThat(capped(20, "5000").plan(command(List.of(), true, null, 2), lanes, prompts, "{}"))
                .isInstanceOf(RunPlanner.Accepted.class);
    }

    @Test
    void shouldRejectARunWhoseWorstCaseCostIsOverTheCostCapAtItsModesPrice() {
        // given GPT-5 at 36,000 output tokens x 5 prompts: 180,000 tokens at $10 per million, $1.80 (sync)
        // and $0.90 in batch, plus a little input
        RunPlanner planner = capped(1_000, "1.00");
        RunRequested batch = command(List.of("gpt5.reason-min"), false, null, null);
        RunRequested sync = new RunRequested(null, 0, null, "run-sync", List.of("gpt5.reason-min"), false,
                RunMode.SYNC, false, false, null, null, true, "ada", null, null);

        // when both are planned
        RunPlanner.Outcome inBatch = planner.plan(batch, lanes, prompts, "{}");
        RunPlanner.Outcome synchronous = planner.plan(sync, lanes, prompts, "{}");

        // then the batch run fits and the synchronous one is refused with its worst case and the knob
        assertThat(inBatch).isInstanceOf(RunPlanner.Accepted.class);
        assertThat(((RunPlanner.Rejected) synchronous).rejected().problems()).singleElement().asString()
                .contains("worst case is USD 1.8").contains("synchronous prices").contains("cap of USD 1.00")
                .contains("APEX_PLANNER_MAX_RUN_COST_USD").contains("apex.planner.max-run-cost-usd");
    }

    @Test
    void shouldAcceptADryRunWhateverItsWorstCaseBecauseItCallsNoProvider() {
        RunRequested dryRun = new RunRequested(null, 0, null, "run-dry", List.of(), true, RunMode.SYNC, false, true,
                null, null, true, "ada", null, null);

        assertThat(capped(1_000, "0.01").plan(dryRun, lanes, prompts, "{}")).isInstanceOf(RunPlanner.Accepted.class);
    }

    @Test
    void shouldAcceptTheSeedsWholeAuditionSynchronouslyUnderTheDefaultCaps() {
        // given the shipped 15 lanes and 21 prompts as the planner finds them registered
        ModelCatalog catalog = ModelCatalog.bundled();
        Map<String, LaneRegistered> seedLanes = LaneConfig.load(Path.of("..", "config", "creative_benchmark.yaml"))
                .lanes().stream().map(l -> LaneSpec.of(l, catalog.model(l.model()).orElseThrow()))
                .map(l -> new LaneRegistered("e-" + l.slug(), 1, Fixtures.AT, l.conditionId(), l.slug(), 1,
                        l.provider(), l.model(), l.apiModelId(), l.parameters(), l.configHash(),
                        l.description()))
                .collect(Collectors.toMap(LaneRegistered::slug, Function.identity()));
        List<PromptIngested> seedPrompts = PromptLibrary.load(Path.of("..", "config", "prompts")).stream()
                .map(RunPlannerTest::ingested).toList();
        RunRequested all = new RunRequested(null, 0, null, "run-seed", List.of(), true, RunMode.SYNC, false, false,
                null, null, true, "ada", "Production run", null);

        // when the whole audition is planned at synchronous prices with the default caps
        RunPlanner.Outcome outcome = planner.plan(all, seedLanes, seedPrompts, "{}");

        // then it is accepted: 315 generations
        assertThat(outcome).isInstanceOf(RunPlanner.Accepted.class);
        assertThat(((RunPlanner.Accepted) outcome).requests()).hasSize(315);
    }

    @Test
    void shouldRefuseControlCharactersInIdsAndNamesNamingEachField() {
        RunRequested typed = typed("run-1", List.of("gpt5.reason-min", "sonnet\tt0-8"), List.of("p01\u0000"),
                "ada\nlovelace", "fine notes");

        RunPlanner.Rejected rejected = (RunPlanner.Rejected) planner.plan(typed, lanes, prompts, "{}");

        assertThat(rejected.rejected().problems()).hasSize(3)
                .anyMatch(p -> p.startsWith("conditionSlugs[1] holds the control character U+0009"))
                .anyMatch(p -> p.startsWith("promptIds[0] holds the control character U+0000 (NUL)"))
                .anyMatch(p -> p.startsWith("createdBy holds the control character U+000A"))
                .allMatch(p -> !p.contains("\u0000") && p.chars().noneMatch(Character::isISOControl));
    }

    @Test
    void shouldRefuseANulInNotesButKeepTabsAndNewlines() {
        RunPlanner.Outcome ok = planner.plan(typed("run-1", List.of("gpt5.reason-min"), null, "ada",
                "line one\n\tindented\r\n"), lanes, prompts, "{}");
        RunPlanner.Outcome nul = planner.plan(typed("run-2", List.of("gpt5.reason-min"), null, "ada",
                "before\u0000after"), lanes, prompts, "{}");

        assertThat(ok).isInstanceOf(RunPlanner.Accepted.class);
        assertThat(((RunPlanner.Rejected) nul).rejected().problems()).singleElement().asString()
                .startsWith("notes holds the control character U+0000 (NUL) at character 7")
                .contains("only tab, newline and carriage return");
    }

    @Test
    void shouldRefuseALoneSurrogateAndKeyTheRejectionByAPrintableRunId() {
        RunRequested typed = typed("run-\uD800\u0000", List.of("gpt5.reason-min"), null, "ada", null);

        RunPlanner.Rejected rejected = (RunPlanner.Rejected) planner.plan(typed, lanes, prompts, "{}");

        assertThat(rejected.rejected().problems()).singleElement().asString().contains("runId")
                .contains("lone UTF-16 surrogate");
        assertThat(rejected.rejected().runId()).isEqualTo("run-\\uD800\\u0000");
    }

    @Test
    void shouldRefuseAbsurdlyLongNotesAndIdsSayingTheLimit() {
        RunRequested typed = typed("run-1", List.of("s".repeat(500)), null, "ada", "n".repeat(10_001));

        RunPlanner.Rejected rejected = (RunPlanner.Rejected) planner.plan(typed, lanes, prompts, "{}");

        assertThat(rejected.rejected().problems()).hasSize(2)
                .anyMatch(p -> p.startsWith("conditionSlugs[0] is 500 characters long, over the 200 allowed"))
                .anyMatch(p -> p.startsWith("notes is 10,001 characters long, over the 10,000 allowed"));
    }

    private static PromptIngested ingested(PromptSpec p) {
        return new PromptIngested("e-" + p.id(), 1, Fixtures.AT, p.id(), 1, p.contentHash(), p.title(), p.genre(),
                p.text(), p.sharedContext());
    }
}
