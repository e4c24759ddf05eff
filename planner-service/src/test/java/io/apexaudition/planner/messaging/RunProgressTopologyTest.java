package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.PlannedLane;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunCompleted;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Usage;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.SourceRuns;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunProgressTopologyTest {
    private PlannerDriver planner;
    private TestInputTopic<String, String> runs;
    private TestInputTopic<String, String> results;
    private TestOutputTopic<String, String> runsOut;

    @BeforeEach
    void setUp() {
        planner = new PlannerDriver("progress-test", RunPlanner.Caps.DEFAULT, SourceRuns.NONE);
        runs = planner.runsIn;
        results = planner.results;
        runsOut = planner.runs;
    }

    @AfterEach
    void tearDown() {
        planner.close();
    }

    private static GenerationCompleted result(String prompt, int attempt, GenerationStatus status) {
        String id = EventIds.generationId("run-p", "4o.t0-6", prompt, 1);
        return new GenerationCompleted("e-" + id + attempt + status, 1, Fixtures.AT, "run-p", id, attempt, "c",
                "4o.t0-6", prompt, 1, "openai", "gpt-4o", RunMode.BATCH, "b", EventIds.customId(id, attempt), status,
                "text", "stop", Usage.NONE, false, status == GenerationStatus.COMPLETED ? new BigDecimal("0.01") : null,
                null, null, null);
    }

    private void publish(GenerationCompleted r) {
        results.pipeInput(r.key(), EventJson.write(r));
    }

    private List<RunCompleted> completions() {
        return runsOut.readValuesToList().stream().map(EventJson::read).filter(RunCompleted.class::isInstance)
                .map(RunCompleted.class::cast).toList();
    }

    @Test
    void shouldEmitRunCompletedOnceWhenEveryGenerationIsFinalEvenWithRedeliveries() {
        RunAccepted accepted = new RunAccepted("a", 1, Fixtures.AT, "run-p", RunMode.BATCH, false, false, true, null,
                1, "ada", null, List.of(new PlannedLane("c", "4o.t0-6", "openai", "gpt-4o", 3)),
                List.of("p1", "p2", "p3"), 3);
        runs.pipeInput("run-p", EventJson.write(accepted));

        publish(result("p1", 1, GenerationStatus.COMPLETED));
        publish(result("p2", 1, GenerationStatus.ERROR));
        assertThat(completions()).isEmpty();
        publish(result("p3", 1, GenerationStatus.COMPLETED));
        publish(result("p3", 1, GenerationStatus.COMPLETED));

        assertThat(completions()).singleElement().satisfies(c -> {
            assertThat(c.completed()).isEqualTo(2);
            assertThat(c.errors()).isEqualTo(1);
            assertThat(c.costUsd()).isEqualByComparingTo("0.02");
        });
    }

    @Test
    void shouldEmitUpdatedTotalsWhenARetriedGenerationCompletes() {
        RunAccepted accepted = new RunAccepted("a", 1, Fixtures.AT, "run-p", RunMode.BATCH, false, false, true, null,
                1, "ada", null, List.of(new PlannedLane("c", "4o.t0-6", "openai", "gpt-4o", 2)), List.of("p1", "p2"), 2);
        runs.pipeInput("run-p", EventJson.write(accepted));
        publish(result("p1", 1, GenerationStatus.COMPLETED));
        publish(result("p2", 1, GenerationStatus.ERROR));
        assertThat(completions()).hasSize(1);

        publish(result("p2", 2, GenerationStatus.COMPLETED));

        assertThat(completions()).singleElement().satisfies(c -> {
            assertThat(c.completed()).isEqualTo(2);
            assertThat(c.errors()).isZero();
        });
    }

    @Test
    void shouldNotCountAResultPublishedUnderAnotherLanesKeyIntoThatLane() {
        // given a run of two lanes, one prompt each
        RunAccepted accepted = new RunAccepted("a", 1, Fixtures.AT, "run-p", RunMode.BATCH, false, false, true, null,
                1, "ada", null, List.of(new PlannedLane("c", "4o.t0-6", "openai", "gpt-4o", 1),
                new PlannedLane("d", "o3.med", "openai", "o3", 1)), List.of("p1"), 2);
        runs.pipeInput("run-p", EventJson.write(accepted));

        // when lane 4o.t0-6's result arrives under its key and a result of o3.med under 4o.t0-6's key
        publish(result("p1", 1, GenerationStatus.COMPLETED));
        GenerationCompleted o3 = result("p1", 1, GenerationStatus.COMPLETED);
        String id = EventIds.generationId("run-p", "o3.med", "p1", 1);
        GenerationCompleted misKeyed = new GenerationCompleted("e-o3", 1, Fixtures.AT, "run-p", id, 1, "d", "o3.med",
                "p1", 1, "openai", "o3", RunMode.BATCH, "b", EventIds.customId(id, 1), GenerationStatus.COMPLETED,
                "text", "stop", Usage.NONE, false, new BigDecimal("0.01"), null, null, null);
        results.pipeInput(o3.key(), EventJson.write(misKeyed));

        // then 4o.t0-6 counts its one generation, and the run is not complete on a result counted in the wrong lane
        var progress = planner.driver.<String, io.apexaudition.planner.domain.RunProgress>getKeyValueStore(
                PlannerTopology.PROGRESS_STORE).get("run-p");
        assertThat(progress.lanes()).filteredOn(l -> l.slug().equals("4o.t0-6")).singleElement()
                .satisfies(l -> assertThat(l.completed()).isEqualTo(1));
        assertThat(completions()).isEmpty();
    }
}
