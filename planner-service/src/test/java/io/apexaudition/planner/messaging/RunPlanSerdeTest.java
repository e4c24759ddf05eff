package io.apexaudition.planner.messaging;

import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunMode;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.RunPlan;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RunPlanSerdeTest {

    @Test
    void shouldReadAPlanStoredAsTheWholeRunAcceptedByAnEarlierVersion() {
        // given the "plans" store value an earlier planner wrote: the RunAccepted itself, 2,000 prompt ids and all
        List<PlannedLane> lanes = List.of(new PlannedLane("c1", "4o.t0-6", "openai", "gpt-4o", 2_000),
                new PlannedLane("c2", "s45.t1-0", "anthropic", "claude-sonnet-4-5", 2_000));
        RunAccepted accepted = new RunAccepted("a", 1, Fixtures.AT, "run-p", RunMode.BATCH, false, false, true, null,
                1, "ada", null, lanes, IntStream.range(0, 2_000).mapToObj(i -> "p" + i).toList(), 4_000);
        byte[] stored = JsonSerde.of(RunAccepted.class).serializer().serialize("plans", accepted);

        // when
        RunPlan plan = JsonSerde.of(RunPlan.class).deserializer().deserialize("plans", stored);

        // then progress gets the run and its lanes, and a plan written now is a fraction of the size
        assertThat(plan).isEqualTo(RunPlan.of(accepted));
        assertThat(plan.lanes()).isEqualTo(lanes);
        byte[] compact = JsonSerde.of(RunPlan.class).serializer().serialize("plans", plan);
        assertThat(new String(compact, StandardCharsets.UTF_8)).doesNotContain("p1999");
        assertThat(compact.length).isLessThan(stored.length / 10);
    }
}
