package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.SourceRuns;
import io.apexaudition.testsupport.HostileRecords;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever is published to apex.run-commands, the planner plans it or parks it, and the next valid command is
 * planned: no record stops the commands behind it.
 */
class RunCommandPropertyTest {
    private PlannerDriver planner;
    private int next;

    @BeforeProperty
    void start() {
        planner = new PlannerDriver("planner-property", RunPlanner.Caps.DEFAULT, SourceRuns.NONE)
                .with(Fixtures.gpt5Min(), Fixtures.prompt(1));
    }

    @AfterProperty
    void stop() {
        planner.close();
    }

    @Provide
    Arbitrary<String> commands() {
        return HostileRecords.texts(RunRequested.class, RetryRequested.class);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, HostileRecords.text()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<String> consumedTopics() {
        return Arbitraries.of(Topics.RUNS.name(), Topics.GENERATION_RESULTS.name(), Topics.LANES.name(),
                Topics.PROMPTS.name());
    }

    @Provide
    Arbitrary<String> anyEvent() {
        return HostileRecords.texts(io.apexaudition.events.RunAccepted.class,
                io.apexaudition.events.GenerationCompleted.class, io.apexaudition.events.LaneRegistered.class,
                io.apexaudition.events.PromptIngested.class, io.apexaudition.events.RunCompleted.class);
    }

    @Property(tries = 200, seed = "20261201")
    void shouldTakeOrIgnoreAnyRecordOnTheTopicsItTalliesAndStillPlanTheNextCommand(
            @ForAll("consumedTopics") String topic, @ForAll("keys") String key, @ForAll("anyEvent") String value) {
        // given any record on the runs, results, lanes or prompts topic (piping it must not throw)
        planner.input(topic).pipeInput(key, value);
        planner.runs.readValuesToList();

        // when a valid command follows it, then it gets a verdict: planned, or rejected with the reason (a lane
        // record that is not what the planner registered may well make a run impossible, and must say so)
        String runId = "run-after-" + next++;
        planner.commands.pipeInput(runId, "{\"runId\":\"" + runId + "\",\"allLanes\":true,\"dryRun\":true}");
        assertThat(planner.runs.readValuesToList()).anySatisfy(v -> assertThat(EventJson.read(v)).satisfiesAnyOf(
                e -> assertThat(e).isInstanceOfSatisfying(RunAccepted.class, a -> assertThat(a.runId()).isEqualTo(runId)),
                e -> assertThat(e).isInstanceOfSatisfying(io.apexaudition.events.RunRejected.class,
                        r -> assertThat(r.runId()).isEqualTo(runId))));
    }

    @Property(tries = 200, seed = "20261201")
    void shouldPlanOrParkEveryCommandAndStillPlanTheNextOne(@ForAll("commands") String command,
                                                            @ForAll("keys") String key) {
        // given any record on the command topic (piping it must not throw)
        planner.commands.pipeInput(key, command);
        planner.runs.readValuesToList();

        // when a valid command follows it
        String runId = "run-next-" + next++;
        planner.commands.pipeInput(runId, "{\"runId\":\"" + runId + "\",\"allLanes\":true,\"dryRun\":true}");

        // then that one is planned
        assertThat(planner.runs.readValuesToList()).anySatisfy(v -> assertThat(EventJson.read(v))
                .isInstanceOfSatisfying(RunAccepted.class, a -> assertThat(a.runId()).isEqualTo(runId)));
    }
}
