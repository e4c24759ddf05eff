package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.dispatcher.health.DispatchIntakeLivenessCheck;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.testsupport.KafkaTestClient;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher's intake on a broker of its own (its group reads the whole request topic): the guards of a round of
 * records, one lane group never dispatched twice at once, and a record that is no request never holding its partition.
 */
class RequestIntakeTest {
    private static final String REQUESTS = Topics.GENERATION_REQUESTS_OPENAI.name();

    @RegisterExtension
    static final IntakeHarness.Broker KAFKA = new IntakeHarness.Broker();

    @Test
    void shouldDispatchALaneGroupCompletedInARoundBeforeARecordOfItJoinsAgainSoTwoDispatchesNeverShareIt()
            throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers())) {
            // given a synchronous lane group of one request, whose record is on the topic twice (a retry under the same
            // attempt), both read in one poll: the first completes the group, the second would start it again
            GenerationRequested request = IntakeHarness.request(run, "o3.sync", "p01", 1, RunMode.SYNC, false, 1);
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.SYNC));
            harness.send(REQUESTS, 0, request);
            long second = harness.send(REQUESTS, 0, request);

            // when the intake reads them
            harness.start();

            // then the group is dispatched twice, one dispatch after the other: the second knows what the first saw
            // through, so the request is called (and paid for) once
            String key = LaneGroup.key(run, "o3.sync", 1);
            await().atMost(Duration.ofSeconds(90)).until(() -> harness.dispatches.stream()
                    .filter(d -> d.groupKey().equals(key)).count() >= 2 && harness.committed(0) > second);
            List<IntakeHarness.Dispatch> dispatches = harness.dispatches.stream()
                    .filter(d -> d.groupKey().equals(key))
                    .sorted(Comparator.comparingLong(IntakeHarness.Dispatch::started)).toList();
            assertThat(dispatches.get(1).started()).as("the second dispatch starts once the first has ended")
                    .isGreaterThanOrEqualTo(dispatches.get(0).ended());
            assertThat(harness.provider.calls.get()).as("synchronous calls of the one request").isEqualTo(1);
        }
    }

    @Test
    void shouldGoLivenessDownAndNotReadyNamingTheErrorWhenADispatchHitsAnError() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers())) {
            // given a ready intake
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            harness.start();
            await().atMost(Duration.ofSeconds(90)).until(harness.intake::ready);
            assertThat(new DispatchIntakeLivenessCheck(harness.intake).call().getStatus())
                    .isEqualTo(HealthCheckResponse.Status.UP);

            // when the dispatch of a lane group hits an Error (not a failure it can wait out)
            String key = LaneGroup.key(run, "o3.error", 1);
            harness.errorNextDispatchOf = key;
            harness.send(REQUESTS, 1, IntakeHarness.request(run, "o3.error", "p01", 1, RunMode.BATCH, true, 1));

            // then liveness goes DOWN for good, naming the error and what to do, and readiness with it: nothing of
            // this instance is dispatched any more, and only a restart (the platform's liveness probe) brings it back
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.errorNextDispatchOf == null
                    && !harness.intake.ready());
            HealthCheckResponse live = new DispatchIntakeLivenessCheck(harness.intake).call();
            assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(live.getData().orElseThrow().get("stopped").toString())
                    .contains("java.lang.StackOverflowError: scripted for " + key)
                    .contains("restart the dispatcher");
            assertThat(harness.intake.notReadyBecause()).contains("StackOverflowError");
        }
    }

    @Test
    void shouldGoLivenessDownWhenTheIntakeThreadEndsWithoutAReport() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers())) {
            // given a ready intake
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            harness.start();
            await().atMost(Duration.ofSeconds(90)).until(harness.intake::ready);

            // when a dispatch hits an Error that cannot even be told, so the thread ends without recording why
            String key = LaneGroup.key(run, "o3.mute", 1);
            harness.errorWithoutReport = true;
            harness.errorNextDispatchOf = key;
            harness.send(REQUESTS, 1, IntakeHarness.request(run, "o3.mute", "p01", 1, RunMode.BATCH, true, 1));

            // then liveness goes DOWN all the same (the thread is gone, nothing would dispatch this instance's
            // partitions), saying so and what to do
            await().atMost(Duration.ofSeconds(60)).dontCatchUncaughtExceptions()
                    .until(() -> harness.errorNextDispatchOf == null && !harness.intake.ready());
            HealthCheckResponse live = new DispatchIntakeLivenessCheck(harness.intake).call();
            assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(live.getData().orElseThrow().get("stopped").toString())
                    .contains("ended without a report").contains("restart the dispatcher");
        }
    }

    @Test
    void shouldParkAnEmptyRecordAndDispatchTheRequestsAfterItInItsPartition() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers()).start();
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given a tombstone and a record of no bytes on a request partition, then a request of an accepted run
            GenerationRequested request = IntakeHarness.request(run, "o3.dry", "p01", 1, RunMode.BATCH, true, 1);
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            long tombstone = harness.send(REQUESTS, 1, "lane-of-nothing", null);
            long empty = harness.send(REQUESTS, 1, "lane-of-nothing", new byte[0]);
            long last = harness.send(REQUESTS, 1, request);

            // when the intake reads them, then each empty record is parked with the reason, and the request after
            // them is dispatched (a dry run: its result recorded) and the partition's offset passes all three
            List<DeadLettered> parked = reader.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.sourceTopic().equals(REQUESTS) && d.partition() == 1
                            && (d.offset() == tombstone || d.offset() == empty), 2, Duration.ofSeconds(90));
            assertThat(parked).extracting(DeadLettered::offset).containsExactlyInAnyOrder(tombstone, empty);
            assertThat(parked).allSatisfy(d -> assertThat(d.reason()).startsWith("empty record"));
            assertThat(reader.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(run), 1, Duration.ofSeconds(60)))
                    .singleElement().satisfies(c -> {
                        assertThat(c.generationId()).isEqualTo(request.generationId());
                        assertThat(c.status()).isEqualTo(GenerationStatus.DRY_RUN);
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.committed(1) > last);
        }
    }
    @Test
    void shouldDispatchALaneGroupPublishedInPartsOnceWithEveryRequestOfIt() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers()).start();
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given a lane group of five requests published as two records (a part of three, a part of two), as the
            // planner publishes a lane larger than a part
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            LaneGroupRequested first = part(run, 5, "p01", "p02", "p03");
            LaneGroupRequested second = part(run, 5, "p04", "p05");
            harness.send(REQUESTS, 2, first);
            long last = harness.send(REQUESTS, 2, second);

            // when the intake reads them, then the group is dispatched once, with all five (a dry run: five results)
            List<GenerationCompleted> results = reader.readEvents(Topics.GENERATION_RESULTS.name(),
                    GenerationCompleted.class, c -> c.runId().equals(run), 5, Duration.ofSeconds(90));
            assertThat(results).extracting(GenerationCompleted::promptId)
                    .containsExactlyInAnyOrder("p01", "p02", "p03", "p04", "p05");
            assertThat(results).allSatisfy(c -> assertThat(c.status()).isEqualTo(GenerationStatus.DRY_RUN));
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.committed(2) > last);
            assertThat(harness.dispatches).filteredOn(d -> d.groupKey().equals(LaneGroup.key(run, "o3.parts", 1)))
                    .hasSize(1);
        }
    }

    @Test
    void shouldDispatchALaneGroupsPartDeliveredAgainOnceNotOncePerRequest() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers());
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given a lane group's part of three requests, and the same part again (delivered again), both read in
            // one poll: the group is seen through once the first is dispatched, so the first request of the second
            // record completes it again
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            LaneGroupRequested part = part(run, 3, false, "p01", "p02", "p03");
            harness.send(REQUESTS, 4, part);
            long again = harness.send(REQUESTS, 4, part);

            // when the intake reads them
            harness.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> harness.committed(4) > again);

            // then the group is dispatched once per record, not once per request of the second, and its three
            // requests are paid for once, in one batch
            assertThat(harness.dispatches).filteredOn(d -> d.groupKey().equals(LaneGroup.key(run, "o3.parts", 1)))
                    .hasSize(2);
            assertThat(harness.provider.batches).singleElement()
                    .satisfies(b -> assertThat(b.requests()).isEqualTo(3));
        }
    }

    @Test
    void shouldParkALaneGroupsRecordOfARunThePlannerNeverAcceptedOnceAndGoOn() throws Exception {
        String run = "run-" + UUID.randomUUID();
        String accepted = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers()).start();
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given a lane group's record of three requests of a run nobody accepted, then a request of one accepted
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(accepted, RunMode.BATCH));
            long forged = harness.send(REQUESTS, 3, part(run, 3, "p01", "p02", "p03"));
            GenerationRequested next = IntakeHarness.request(accepted, "o3.after", "p01", 1, RunMode.BATCH, true, 1);
            long last = harness.send(REQUESTS, 3, next);

            // when the intake reads them, then the record is parked once, naming the run and what to do instead, none
            // of its requests is dispatched, and the request after it is
            List<DeadLettered> parked = reader.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.sourceTopic().equals(REQUESTS) && d.partition() == 3 && d.offset() == forged, 1,
                    Duration.ofSeconds(90));
            assertThat(parked).singleElement().satisfies(d -> assertThat(d.reason())
                    .contains(run).contains("never accepted").contains(Topics.RUN_COMMANDS.name()));
            assertThat(reader.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(accepted), 1, Duration.ofSeconds(60))).hasSize(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.committed(3) > last);
            assertThat(reader.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.sourceTopic().equals(REQUESTS) && d.partition() == 3 && d.offset() == forged, 2,
                    Duration.ofSeconds(3)))
                    .as("parked once, not once per request").hasSize(1);
            assertThat(harness.dispatches).noneMatch(d -> d.groupKey().startsWith(run));
        }
    }

    @Test
    void shouldParkAPartNamingUnknownPromptVersionsOnceReadingTheCatalogToItsEndOnce() throws Exception {
        String run = "run-" + UUID.randomUUID();
        try (IntakeHarness harness = new IntakeHarness(KAFKA.servers()).start();
             KafkaTestClient reader = new KafkaTestClient(KAFKA.servers())) {
            // given an accepted run whose lane group's record names forty prompt versions nobody ingested (by
            // reference, as the planner writes them), then a request after it in the partition
            harness.send(Topics.RUNS.name(), null, IntakeHarness.accepted(run, RunMode.BATCH));
            String[] prompts = java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(i -> "p-missing-" + i)
                    .toArray(String[]::new);
            long part = harness.send(REQUESTS, 4, byReference(part(run, 40, prompts)));
            GenerationRequested next = IntakeHarness.request(run, "o3.after", "p01", 1, RunMode.BATCH, true, 1);
            long last = harness.send(REQUESTS, 4, next);

            // when the intake reads them
            // then the record is parked once, naming the missing versions and what to do, after the catalog was read
            // to its end once (not once per request: each reading asks the broker for its end offsets), and the
            // request after it goes on
            List<DeadLettered> parked = reader.readEvents(Topics.DEAD_LETTERS.name(), DeadLettered.class,
                    d -> d.sourceTopic().equals(REQUESTS) && d.partition() == 4 && d.offset() == part, 1,
                    Duration.ofSeconds(90));
            assertThat(parked).singleElement().satisfies(d -> assertThat(d.reason())
                    .contains("'p-missing-1' version 1").contains(", ...").contains("apex prompts ingest"));
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.committed(4) > last);
            assertThat(harness.catalogCatchUps.get()).as("readings of the catalog to its end").isEqualTo(1);
            assertThat(harness.dispatches).noneMatch(d -> d.groupKey().startsWith(run + "/o3.parts"));
        }
    }

    /** The part with its requests naming their prompts by reference (no texts carried), as the planner writes them. */
    private static LaneGroupRequested byReference(LaneGroupRequested part) {
        return new LaneGroupRequested(part.eventId(), part.schemaVersion(), part.occurredAt(), part.runId(),
                part.attempt(), part.conditionId(), part.conditionSlug(), part.provider(), part.model(),
                part.apiModelId(), part.parameters(), part.mode(), part.verifyFirst(), part.dryRun(), part.cache(),
                part.laneGenerations(), part.generations().stream().map(i -> new LaneGroupRequested.Item(i.eventId(),
                        i.generationId(), i.promptId(), i.promptVersion(), null, null, i.replicate(), i.judging()))
                        .toList());
    }

    /** A part of lane {@code o3.parts} of a dry run, as the planner packs it (its texts carried, nothing to look up). */
    private static LaneGroupRequested part(String run, int laneGenerations, String... prompts) {
        return part(run, laneGenerations, true, prompts);
    }

    private static LaneGroupRequested part(String run, int laneGenerations, boolean dryRun, String... prompts) {
        List<LaneGroupRequested.Item> items = new java.util.ArrayList<>();
        for (String prompt : prompts) {
            String id = io.apexaudition.events.EventIds.generationId(run, "o3.parts", prompt, 1);
            items.add(new LaneGroupRequested.Item("e-" + id, id, prompt, 1, "Write a sonnet about tides",
                    "House style", 1, null));
        }
        return new LaneGroupRequested("lg-" + UUID.randomUUID(), 1, java.time.Instant.now(), run, 1, "cond-o3",
                "o3.parts", io.apexaudition.events.Providers.OPENAI, "o3", "o3",
                new io.apexaudition.events.LaneParameters(null, null, 36000, "high", null), RunMode.BATCH, false,
                dryRun, true, laneGenerations, items);
    }
}
