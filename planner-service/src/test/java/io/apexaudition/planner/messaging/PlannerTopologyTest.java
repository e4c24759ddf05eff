package io.apexaudition.planner.messaging;

import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.RetryRequested;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.RunRejected;
import io.apexaudition.events.Topics;
import io.apexaudition.planner.domain.Fixtures;
import io.apexaudition.planner.domain.RunPlanner;
import io.apexaudition.planner.domain.SourceRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTopologyTest {
    private PlannerDriver planner;

    @BeforeEach
    void setUp() throws Exception {
        start(RunPlanner.Caps.DEFAULT);
    }

    private void start(RunPlanner.Caps caps) {
        planner = new PlannerDriver("planner-test", caps, SourceRuns.NONE).with(Fixtures.gpt5Min(),
                Fixtures.sonnetStd(), Fixtures.prompt(1), Fixtures.prompt(2), Fixtures.prompt(3));
    }

    @AfterEach
    void tearDown() {
        planner.close();
    }

    @Test
    void shouldRouteEachLanesRequestsToItsProvidersTopicKeyedByRunAndLane() {
        planner.commands.pipeInput("run-7", "{\"runId\":\"run-7\",\"allLanes\":true,\"dryRun\":true}");

        RunAccepted accepted = EventJson.read(planner.runs.readValue(), RunAccepted.class);
        assertThat(accepted.expectedGenerations()).isEqualTo(6);
        var openaiParts = planner.openai.records();
        var openaiRecords = PlannerDriver.Requests.expand(openaiParts);
        var anthropicRecords = planner.anthropic.readKeyValuesToList();
        assertThat(openaiParts).as("one record for the lane's three requests").hasSize(1);
        assertThat(openaiRecords).hasSize(3).allMatch(kv -> kv.key.equals("run-7/gpt5.reason-min"));
        assertThat(anthropicRecords).hasSize(3).allMatch(kv -> kv.key.equals("run-7/sonnet.t0-8.std"));
        GenerationRequested first = EventJson.read(openaiRecords.get(0).value, GenerationRequested.class);
        assertThat(first.dryRun()).isTrue();
        // the prompt travels by reference (claim check): the dispatcher reads the texts of that version
        assertThat(first.textsByReference()).isTrue();
        assertThat(first.sharedContext()).isNull();
        assertThat(first.promptId()).isNotBlank();
        assertThat(first.promptVersion()).isGreaterThanOrEqualTo(1);
        assertThat(openaiParts.get(0).value.length()).as("a lane group's record without its texts").isLessThan(2_000);
    }

    @Test
    void shouldPublishEachLaneGroupAsOneRecordOrAsFewPartsWhenLarge() {
        // given a run of two lanes over 1,203 prompts (more than one part holds)
        int prompts = LaneGroupRequested.MAX_ITEMS + 203;
        for (int n = 4; n <= prompts; n++) {
            planner.with(Fixtures.prompt(n));
        }

        // when it is planned
        planner.commands.pipeInput("run-big", "{\"runId\":\"run-big\",\"allLanes\":true,\"dryRun\":true}");

        // then each lane goes as two records under its key, not one per generation, and they carry every request
        // of the lane once, each naming the lane group's size
        var openai = planner.openai.records();
        var anthropic = planner.anthropic.records();
        assertThat(openai).hasSize(2).allMatch(kv -> kv.key.equals("run-big/gpt5.reason-min"));
        assertThat(anthropic).hasSize(2).allMatch(kv -> kv.key.equals("run-big/sonnet.t0-8.std"));
        List<GenerationRequested> lane = openai.stream()
                .flatMap(kv -> EventJson.read(kv.value, LaneGroupRequested.class).requests().stream()).toList();
        assertThat(lane).hasSize(prompts).allMatch(r -> r.laneGenerations() == prompts && r.attempt() == 1);
        assertThat(lane.stream().map(GenerationRequested::generationId).distinct()).hasSize(prompts);
        assertThat(openai.get(0).value.length()).as("a part of a thousand requests without their texts")
                .isLessThan(400_000);
    }

    @Test
    void shouldRejectMalformedJsonAndKeepPlanningTheNextCommand() {
        planner.commands.pipeInput("run-bad", "{\"runId\": \"run-bad\", oops");
        planner.commands.pipeInput("run-good", "{\"runId\":\"run-good\",\"conditionSlugs\":[\"gpt5.reason-min\"]}");

        RunRejected rejected = EventJson.read(planner.runs.readValue(), RunRejected.class);
        assertThat(rejected.runId()).isEqualTo("run-bad");
        assertThat(rejected.reason()).contains("malformed JSON");
        assertThat(EventJson.read(planner.runs.readValue(), RunAccepted.class).runId()).isEqualTo("run-good");
        assertThat(planner.openai.readValuesToList()).hasSize(3);
    }

    @Test
    void shouldNotPlanTheSameRunTwiceWhenItsCommandIsPublishedAgain() {
        String command = "{\"runId\":\"run-twice\",\"conditionSlugs\":[\"sonnet.t0-8.std\"]}";
        planner.commands.pipeInput("run-twice", command);
        planner.commands.pipeInput("run-twice", command);

        assertThat(planner.runs.readValuesToList()).hasSize(1);
        assertThat(planner.anthropic.readValuesToList()).hasSize(3);
        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("already planned");
    }

    @Test
    void shouldParkAMalformedCommandInTheDeadLetterTopicAsWellAsRejectingIt() {
        planner.commands.pipeInput("run-garbled", "{\"runId\": \"run-garbled\", oops");

        assertThat(EventJson.read(planner.runs.readValue(), RunRejected.class).runId()).isEqualTo("run-garbled");
        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.sourceKey()).isEqualTo("run-garbled");
        assertThat(parked.reason()).contains("malformed JSON");
    }

    @Test
    void shouldParkAHugeCommandUnreadAndPlanTheNextOne() {
        // given a command over the command size limit (a 5 MB note)
        String huge = "{\"runId\":\"run-huge\",\"conditionSlugs\":[\"gpt5.reason-min\"],\"notes\":\""
                + "x".repeat(5 * 1024 * 1024) + "\"}";

        // when it arrives before a normal command
        planner.commands.pipeInput("run-huge", huge);
        planner.commands.pipeInput("run-after", "{\"runId\":\"run-after\",\"conditionSlugs\":[\"gpt5.reason-min\"]}");

        // then it is parked with the limit named and an echo that is short, and the next run is planned
        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("over the " + Topics.MAX_COMMAND_BYTES);
        assertThat(parked.payload().length()).isLessThan(2_000);
        assertThat(EventJson.read(planner.runs.readValue(), RunRejected.class).runId()).isEqualTo("run-huge");
        assertThat(EventJson.read(planner.runs.readValue(), RunAccepted.class).runId()).isEqualTo("run-after");
        assertThat(planner.openai.readValuesToList()).hasSize(3);
    }

    @Test
    void shouldParkARetryOfARunThePlannerNeverPlanned() {
        planner.commands.pipeInput("run-nobody", "{\"type\":\"RetryRequested\",\"runId\":\"run-nobody\","
                + "\"retryId\":\"retry-1\",\"generations\":[{\"generationId\":\"g1\",\"attempt\":1,"
                + "\"conditionId\":\"c1\",\"conditionSlug\":\"gpt5.reason-min\",\"promptId\":\"p01\","
                + "\"promptVersion\":1,\"replicate\":1}]}");

        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("run-nobody").contains("never planned");
        assertThat(planner.openai.isEmpty()).isTrue();
        assertThat(planner.anthropic.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectARunOverTheGenerationCapTheServiceWasGiven() throws Exception {
        // given a planner capped at 5 generations per run
        planner.close();
        start(new RunPlanner.Caps(5, new BigDecimal("5000")));

        // when a run of 2 lanes x 3 prompts arrives
        planner.commands.pipeInput("run-big", "{\"runId\":\"run-big\",\"allLanes\":true,\"dryRun\":true}");

        // then it is rejected with the cap named and nothing is fanned out
        RunRejected rejected = EventJson.read(planner.runs.readValue(), RunRejected.class);
        assertThat(rejected.reason()).contains("6 generations").contains("APEX_PLANNER_MAX_RUN_GENERATIONS");
        assertThat(planner.openai.isEmpty()).isTrue();
        assertThat(planner.anthropic.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectACommandWithANulInItsNotesAndPublishNoNulAnywhere() {
        planner.commands.pipeInput("run-nul", "{\"runId\":\"run-nul\",\"conditionSlugs\":[\"gpt5.reason-min\"],"
                + "\"notes\":\"a\\u0000b\"}");

        RunRejected rejected = EventJson.read(planner.runs.readValue(), RunRejected.class);
        assertThat(rejected.runId()).isEqualTo("run-nul");
        assertThat(rejected.problems()).singleElement().asString().startsWith("notes holds the control character "
                + "U+0000 (NUL)");
        assertThat(rejected.reason() + rejected.problems() + rejected.rawCommand()).doesNotContain("\u0000");
        assertThat(planner.openai.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectAnUnreadableCommandWithRawControlCharactersInPrintableForm() {
        // given a record whose key and JSON carry raw control characters (not even valid JSON)
        planner.commands.pipeInput("run-\u0000x", "{\"runId\": \"run-\u0000x\u0007\"");

        // then the rejection and the parked record show them escaped, so the recorder can store both
        RunRejected rejected = EventJson.read(planner.runs.readValue(), RunRejected.class);
        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(rejected.runId()).isEqualTo("run-\\u0000x");
        for (String text : List.of(rejected.runId(), rejected.reason(), rejected.rawCommand(), parked.sourceKey(),
                parked.reason(), parked.payload())) {
            assertThat(text.chars()).noneMatch(Character::isISOControl);
        }
        assertThat(rejected.rawCommand()).contains("\\u0000x\\u0007");
    }

    @Test
    void shouldParkARetryWhoseIdHoldsAControlCharacterNamingTheField() {
        planner.commands.pipeInput("run-7", "{\"type\":\"RetryRequested\",\"runId\":\"run-7\","
                + "\"retryId\":\"retry\\u001b[2J\",\"generations\":[{\"generationId\":\"g1\",\"attempt\":1,"
                + "\"conditionId\":\"c1\",\"conditionSlug\":\"gpt5.reason-min\",\"promptId\":\"p01\","
                + "\"promptVersion\":1,\"replicate\":1}]}");

        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("retryId holds the control character U+001B")
                .doesNotContain("\u001b");
        assertThat(planner.runs.isEmpty()).isTrue();
    }

    @Test
    void shouldParkASecondRetryOfAnAttemptAlreadySentAgainSoNoCustomIdIsRequestedTwice() {
        // given a run whose first generation was sent again as attempt 2 by a retry
        planner.commands.pipeInput("run-again", "{\"runId\":\"run-again\",\"conditionSlugs\":[\"gpt5.reason-min\"]}");
        planner.runs.readValuesToList();
        GenerationRequested failed = EventJson.read(planner.openai.readValuesToList().get(0), GenerationRequested.class);
        planner.commands.pipeInput("run-again", EventJson.write(retryOf(failed, "retry-1", 1)));
        assertThat(planner.openai.readValuesToList()).singleElement()
                .satisfies(json -> assertThat(EventJson.read(json, GenerationRequested.class).attempt()).isEqualTo(2));

        // when another retry (a new retry id) lists the same attempt again, as a retry issued before the first
        // one's result was recorded would
        planner.commands.pipeInput("run-again", EventJson.write(retryOf(failed, "retry-2", 1)));

        // then it is parked naming the generation and the fix, and attempt 2 (the same custom id) is not requested
        // twice: the dispatchers keep no memory of custom ids older than their open lane groups
        DeadLettered parked = EventJson.read(planner.deadLetters.readValue(), DeadLettered.class);
        assertThat(parked.reason()).contains("retry-2").contains(failed.generationId())
                .contains("already sent again as attempt 2").contains("apex retry run-again");
        assertThat(planner.openai.isEmpty()).isTrue();

        // and a retry of the latest attempt goes out as attempt 3
        planner.commands.pipeInput("run-again", EventJson.write(retryOf(failed, "retry-3", 2)));
        assertThat(planner.openai.readValuesToList()).singleElement()
                .satisfies(json -> assertThat(EventJson.read(json, GenerationRequested.class).attempt()).isEqualTo(3));
    }

    private static RetryRequested retryOf(GenerationRequested r, String retryId, int attempt) {
        return new RetryRequested("e-" + retryId, 1, Fixtures.AT, r.runId(), retryId, RunMode.BATCH, true,
                List.of(new RetryRequested.Item(r.generationId(), attempt, r.conditionId(), r.conditionSlug(),
                        r.promptId(), r.promptVersion(), r.replicate())));
    }
}
