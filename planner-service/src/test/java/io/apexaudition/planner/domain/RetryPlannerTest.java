package io.apexaudition.planner.domain;

import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunMode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPlannerTest {
    private final RetryPlanner planner = new RetryPlanner(Clock.fixed(Fixtures.AT, ZoneOffset.UTC));
    private final LaneRegistered lane = Fixtures.gpt5Min();

    private RetryRequested.Item item(String generationId, int attempt, int prompt) {
        PromptIngested p = Fixtures.prompt(prompt);
        return new RetryRequested.Item(generationId, attempt, lane.conditionId(), lane.slug(), p.promptId(),
                p.version(), 1);
    }

    private RetryPlanner.Plan plan(List<RetryRequested.Item> items) {
        RetryRequested retry = new RetryRequested(null, 1, Fixtures.AT, "run-1", "retry-1", RunMode.BATCH, true, items);
        return planner.plan(retry, id -> id.equals(lane.conditionId()) ? Optional.of(lane) : Optional.empty(),
                (id, version) -> Optional.of(Fixtures.prompt(Integer.parseInt(id.replaceAll("\\D", "")))));
    }

    @Test
    void shouldExpectEachAttemptGroupToHoldOnlyItsOwnGenerationsWhenARetryMixesAttempts() {
        // given one generation of a lane on its second attempt and two on their first
        List<RetryRequested.Item> items = List.of(item("g-a", 2, 1), item("g-b", 1, 2), item("g-c", 1, 3));

        // when the retry is planned
        RetryPlanner.Plan plan = plan(items);

        // then the attempt-3 group expects one request and the attempt-2 group two: each group can complete
        Map<Integer, List<GenerationRequested>> byAttempt = plan.requests().stream()
                .collect(Collectors.groupingBy(GenerationRequested::attempt));
        assertThat(byAttempt.get(3)).hasSize(1).allMatch(r -> r.laneGenerations() == 1);
        assertThat(byAttempt.get(2)).hasSize(2).allMatch(r -> r.laneGenerations() == 2);
    }

    @Test
    void shouldSendAGenerationListedTwiceOnce() {
        // given a retry listing the same generation twice
        List<RetryRequested.Item> items = List.of(item("g-a", 1, 1), item("g-a", 1, 1), item("g-b", 1, 2));

        // when it is planned
        RetryPlanner.Plan plan = plan(items);

        // then it is requested once, and the group expects exactly the distinct generations
        assertThat(plan.requests()).extracting(GenerationRequested::generationId).containsExactly("g-a", "g-b");
        assertThat(plan.requests()).allMatch(r -> r.laneGenerations() == 2);
    }
}
