package io.apexaudition.planner.domain;

import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunRequested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
}
