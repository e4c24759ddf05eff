package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.dispatcher.messaging.LedgerLives;
import io.apexaudition.dispatcher.messaging.OwnedLaneStates;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.providers.BatchLine;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.testsupport.KafkaInfra;
import io.apexaudition.testsupport.KafkaTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The money windows of batch creation, through a real broker: a create with no clear answer, a listing that lags
 * or fails, crashes that leave intents in doubt. Each "life" is a new dispatcher (publisher, ledger) on the same
 * topics; the provider's ledger ({@link FakeProvider#batches}) outlives them, as a real provider's does. Each test
 * dispatches under a provider name of its own, so it sees only its own intents.
 */
class LaneDispatcherReconciliationTest {
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private final List<Runnable> closing = new ArrayList<>();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void tearDown() {
        closing.forEach(Runnable::run);
    }

    @Test
    void shouldLeaveABatchCreateUnderWayAloneWhileASynchronousLaneIsDispatchedBesideIt() throws Exception {
        // given a batch lane group whose create takes longer than the listing's window (its intent committed, the
        // batch not yet in the provider's listing), and a synchronous lane group the same dispatcher runs beside it
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.createTakes = Duration.ofSeconds(3);
        String runId = "run-beside-" + tag;
        List<GenerationRequested> batchLane = lane(runId, "4o.batch", 2, false);
        List<GenerationRequested> syncLane = lane(runId, "4o.sync", 2, false).stream().map(r ->
                new GenerationRequested(r.eventId(), r.schemaVersion(), r.occurredAt(), r.runId(), r.generationId(),
                        r.attempt(), r.conditionId(), r.conditionSlug(), r.provider(), r.model(), r.apiModelId(),
                        r.parameters(), r.promptId(), r.promptVersion(), r.promptText(), r.sharedContext(),
                        r.replicate(), RunMode.SYNC, r.verifyFirst(), r.dryRun(), r.cache(),
                        r.laneGenerations())).toList();
        LaneDispatcher dispatcher = life(provider, Duration.ofMinutes(1), Duration.ofMillis(500), "", key -> true);
        Thread batch = dispatchUntilItsCreateBegan(provider, dispatcher, batchLane);

        // when the synchronous lane group is dispatched while the create is under way
        dispatcher.dispatch(group(syncLane));
        batch.join(30_000);
        assertThat(batch.isAlive()).as("the batch lane's dispatch ended").isFalse();

        // then the batch intent is not concluded never created (its requests would go out again: paid twice); its
        // batch is recorded once
        assertThat(LedgerLives.read(provider.provider()).settlement(intentIdOf(batchLane, 0))).isEmpty();
        assertThat(provider.createCalls).hasValue(1);
        assertThat(submittedBatches(runId, 1)).hasSize(1);
    }

    @Test
    void shouldLeaveABatchCreateUnderWayToItsOwnThreadWhenAnotherBatchLaneReconcilesBesideIt() throws Exception {
        // given a batch lane group whose create takes longer than the listing's window (its intent committed, the
        // batch not yet listed); batch groups run one after another today, but nothing in the reconciler may rely on it
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.createTakes = Duration.ofSeconds(3);
        String runId = "run-two-batches-" + tag;
        List<GenerationRequested> first = lane(runId, "4o.first", 2, false);
        List<GenerationRequested> second = lane(runId, "4o.second", 2, false);
        LaneDispatcher dispatcher = life(provider, Duration.ofMinutes(1), Duration.ofMillis(500), "", key -> true);
        Thread batch = dispatchUntilItsCreateBegan(provider, dispatcher, first);
        Thread.sleep(1_000); // past the listing's window: the first intent now looks like a create that never landed

        // when a second batch lane group, which reconciles what is in doubt before its own create, runs beside it
        dispatcher.dispatch(group(second));
        batch.join(30_000);
        assertThat(batch.isAlive()).as("the batch lane's dispatch ended").isFalse();

        // then the first intent is not concluded never created (paid twice); each lane's batch is created and
        // recorded once
        assertThat(LedgerLives.read(provider.provider()).settlement(intentIdOf(first, 0))).isEmpty();
        assertThat(provider.createCalls).hasValue(2);
        assertThat(submittedBatches(runId, 2)).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void shouldNotSendACreateAgainWhileTheListingLagsBehindIt() {
        // given a create that succeeds but answers 500, and a listing that shows a batch only a second later
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.creates.add(FakeProvider.Create.CREATED_BUT_500);
        provider.listingLag = Duration.ofSeconds(1);

        // when a lane is dispatched
        LaneDispatcher dispatcher = life(provider, Duration.ofMinutes(1));
        dispatcher.dispatch(group(lane("run-lag", "4o.a", 3, false)));

        // then the batch is recorded as submitted, created once
        assertThat(provider.createCalls).hasValue(1);
        assertThat(submittedBatches("run-lag", 1)).containsExactly(provider.batches.get(0).batchId());
    }

    @Test
    void shouldCountTheListingsWindowFromWhenASlowCreateGaveUpNotFromWhenItWasSent() {
        // given a create that takes longer than the listing's window, is carried out at its end and answers 500, and
        // a listing a second behind
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.creates.add(FakeProvider.Create.CREATED_BUT_500);
        provider.createTakes = WINDOW.plusSeconds(1);
        provider.listingLag = Duration.ofSeconds(1);

        // when a lane is dispatched
        life(provider, Duration.ofMinutes(1)).dispatch(group(lane("run-slow", "4o.a", 3, false)));

        // then the batch the slow create made is found and recorded, and nothing was sent again
        assertThat(provider.createCalls).hasValue(1);
        assertThat(submittedBatches("run-slow", 1)).containsExactly(provider.batches.get(0).batchId());
    }

    @Test
    void shouldCountTheListingsWindowFromWhenASlowCreateFailedUnexpectedlyNotFromWhenItWasSent() {
        // given a create that takes longer than the listing's window, is carried out at its end and then fails in a
        // way the client did not foresee, and a listing a second behind
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.creates.add(FakeProvider.Create.CREATED_BUT_UNREADABLE);
        provider.createTakes = WINDOW.plusSeconds(1);
        provider.listingLag = Duration.ofSeconds(1);
        LaneDispatcher dispatcher = life(provider, Duration.ofMinutes(1));
        List<GenerationRequested> lane = lane("run-unforeseen", "4o.a", 3, false);
        assertThatThrownBy(() -> dispatcher.dispatch(group(lane))).isInstanceOf(IllegalStateException.class);
        provider.createTakes = Duration.ZERO;

        // when the lane group is dispatched again by the same process (the intake's retry after a failure)
        dispatcher.dispatch(group(lane));

        // then the batch the failed create made is found and recorded, and nothing was sent again
        assertThat(provider.createCalls).hasValue(1);
        assertThat(submittedBatches("run-unforeseen", 1)).containsExactly(provider.batches.get(0).batchId());
    }

    @Test
    void shouldKeepACreateInDoubtWhileTheListingFailsAndRecordTheBatchOnceItAnswers() {
        // given a create that succeeds but answers 500, and a listing that fails three times
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.creates.add(FakeProvider.Create.CREATED_BUT_500);
        provider.failingListings.set(3);

        // when a lane is dispatched
        life(provider, Duration.ofMinutes(1)).dispatch(group(lane("run-listing", "4o.a", 3, false)));

        // then it was never settled as refused nor sent again: the batch is recorded once the listing answers
        assertThat(provider.createCalls).hasValue(1);
        assertThat(submittedBatches("run-listing", 1)).containsExactly(provider.batches.get(0).batchId());
        assertThat(results("run-listing", 0, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void shouldSendAgainUnderANewIntentOnlyOnceTheListingShowsNothingWasCreated() {
        // given a create that fails before creating anything, but answers 500
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.creates.add(FakeProvider.Create.NOT_CREATED_500);
        List<GenerationRequested> lane = lane("run-resend", "4o.a", 3, false);

        // when the lane is dispatched
        long start = System.nanoTime();
        LaneDispatcher dispatcher = life(provider, Duration.ofMinutes(1));
        dispatcher.dispatch(group(lane));

        // then the create was sent again only after the listing's consistency window, and one batch exists
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WINDOW);
        assertThat(provider.createCalls).hasValue(2);
        assertThat(provider.batches).hasSize(1);
        assertThat(submittedBatches("run-resend", 1)).containsExactly(provider.batches.get(0).batchId());
        DispatchLedger after = LedgerLives.read(provider.provider());
        assertThat(after.inDoubtBatchIntents()).isEmpty();
        assertThat(after.settlement(intentIdOf(lane, 0))).get().extracting(DispatchSettled::resolution)
                .isEqualTo(DispatchSettled.Resolution.NOT_CREATED);
    }

    @Test
    void shouldEndALaneAsUnknownOutcomeWhenTheListingNeverAnswers() {
        // given a create that succeeds but answers 500, and a listing that never answers
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.creates.add(FakeProvider.Create.CREATED_BUT_500);
        provider.listingDown = true;

        // when the lane is dispatched with a short in-doubt timeout
        life(provider, Duration.ofSeconds(3)).dispatch(group(lane("run-unknown", "4o.a", 3, false)));

        // then its generations end unknown, for a person to decide, and nothing was sent again
        assertThat(provider.createCalls).hasValue(1);
        assertThat(results("run-unknown", 3, Duration.ofSeconds(30))).extracting(GenerationCompleted::errorKind)
                .containsOnly(ErrorKind.UNKNOWN_OUTCOME);
    }

    @Test
    void shouldMatchEachAnthropicIntentToItsOwnBatchAcrossTwoCrashes() {
        // given a provider that tells batches apart only by request count, and two lanes of the same size
        FakeProvider provider = new FakeProvider(provider(), false);
        List<GenerationRequested> laneA = lane("run-twins", "sonnet.a", 3, false);
        List<GenerationRequested> laneB = lane("run-twins", "sonnet.b", 3, false);

        // when one life crashes right after creating lane A's batch, the next right after creating lane B's (each
        // life waits the listing's window before its first create; above the clocks' skew, as the 60 s default is,
        // so lane B's intent is known to be younger than lane A's batch and cannot own it)
        Duration window = ProviderClient.CLOCK_SKEW.plusSeconds(1);
        provider.creates.add(FakeProvider.Create.CREATED_THEN_CRASH);
        LaneDispatcher first = life(provider, Duration.ofMinutes(1), window, "", key -> true);
        assertThatThrownBy(() -> first.dispatch(group(laneA))).isInstanceOf(FakeProvider.Crash.class);
        provider.creates.add(FakeProvider.Create.CREATED_THEN_CRASH);
        LaneDispatcher second = life(provider, Duration.ofMinutes(1), window, "", key -> true);
        assertThatThrownBy(() -> second.dispatch(group(laneB))).isInstanceOf(FakeProvider.Crash.class);

        // and the third life meets lane B's requests first
        LaneDispatcher third = life(provider, Duration.ofMinutes(1), window, "", key -> true);
        third.dispatch(group(laneB));
        third.dispatch(group(laneA));

        // then each intent is recorded with the batch created for it, and only two were created
        assertThat(provider.createCalls).hasValue(2);
        Map<String, String> intentOfBatch = provider.batches.stream()
                .collect(Collectors.toMap(FakeProvider.Created::batchId, FakeProvider.Created::intentId));
        assertThat(submitted("run-twins", 2)).hasSize(2)
                .allSatisfy(b -> assertThat(intentOfBatch.get(b.batchId())).isEqualTo(b.intentId()));
    }

    @Test
    void shouldNeitherTakeNorRuleOutABatchAnotherDispatcherHasCreatedButNotRecordedYet() throws Exception {
        // given a provider that tells batches apart only by request count, and two dispatchers of it owning one lane
        // each: A committed its intent for lane A and died before creating the batch; then B created lane B's batch
        // (the same size) and is still waiting for the create's answer, so nothing records it yet
        FakeProvider provider = new FakeProvider(provider(), false);
        String runId = "run-rivals-" + tag;
        List<GenerationRequested> laneA = lane(runId, "sonnet.a", 3, false);
        List<GenerationRequested> laneB = lane(runId, "sonnet.b", 3, false);
        Predicate<String> ownsA = key -> key.equals(group(laneA).key());
        Predicate<String> ownsB = key -> key.equals(group(laneB).key());
        provider.creates.add(FakeProvider.Create.CRASH_BEFORE_CREATE);
        LaneDispatcher a = life(provider, Duration.ofMinutes(1), WINDOW, "a", ownsA);
        assertThatThrownBy(() -> a.dispatch(group(laneA))).isInstanceOf(FakeProvider.Crash.class);
        CountDownLatch answerB = new CountDownLatch(1);
        provider.answerOnlyAfter = answerB;
        LaneDispatcher b = life(provider, Duration.ofMinutes(1), WINDOW, "b", ownsB);
        CompletableFuture<Void> dispatchB = CompletableFuture.runAsync(() -> b.dispatch(group(laneB)));
        await().atMost(Duration.ofSeconds(30)).until(() -> provider.batches.size() == 1);
        provider.answerOnlyAfter = null;

        // when A's next life reconciles its intent in doubt, the listing showing B's batch and no one claiming it
        LaneDispatcher nextA = life(provider, Duration.ofMinutes(1), WINDOW, "a", ownsA);
        CompletableFuture<Void> dispatchA = CompletableFuture.runAsync(() -> nextA.dispatch(group(laneA)));

        // then for as long as B's batch is not recorded, A neither takes it for its own nor concludes that its own was
        // never created (which would send lane A again): it is still asking, well past the listing's window
        await().during(WINDOW.plusSeconds(4)).atMost(WINDOW.plusSeconds(5))
                .until(() -> !dispatchA.isDone() && provider.createCalls.get() == 2);
        assertThat(submitted(runId, 1, Duration.ofSeconds(1))).isEmpty();

        // and once B records its batch, A finds its intent never created and sends lane A once, under a new intent
        answerB.countDown();
        dispatchB.join();
        dispatchA.get(90, TimeUnit.SECONDS);
        assertThat(provider.createCalls).hasValue(3);
        Map<String, String> intentOfBatch = provider.batches.stream()
                .collect(Collectors.toMap(FakeProvider.Created::batchId, FakeProvider.Created::intentId));
        assertThat(submitted(runId, 2, Duration.ofSeconds(30))).hasSize(2)
                .allSatisfy(batch -> assertThat(intentOfBatch.get(batch.batchId())).isEqualTo(batch.intentId()))
                .extracting(BatchSubmitted::intentId).doesNotContain(intentIdOf(laneA, 0));
        assertThat(LedgerLives.read(provider.provider()).settlement(intentIdOf(laneA, 0))).get()
                .extracting(DispatchSettled::resolution).isEqualTo(DispatchSettled.Resolution.NOT_CREATED);
    }

    @Test
    void shouldCountTheListingsWindowFromTakingAnIntentOverNotFromTheDispatchersStart() {
        // given a dispatcher B running for longer than the listing's window, a listing that shows a batch only 4 s
        // after its create (within the window), and another dispatcher A that created lane A's batch and died before
        // recording it
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.listingLag = Duration.ofSeconds(4);
        Duration window = Duration.ofSeconds(6);
        String runId = "run-takeover-" + tag;
        List<GenerationRequested> laneA = lane(runId, "4o.a", 3, false);
        Predicate<String> ownsA = key -> key.equals(group(laneA).key());
        TestDispatcherConfig configB = config(provider, Duration.ofMinutes(1), window, "b");
        OwnedLaneStates ledgerB = LedgerLives.newLife(publisher(configB), provider.provider(),
                configB.bootstrapServers(), key -> false);
        LaneDispatcher b = new LaneDispatcher(provider, ledgerB, configB);
        await().pollDelay(window.plusMillis(500)).atMost(window.plusSeconds(5)).until(() -> true);
        provider.creates.add(FakeProvider.Create.CREATED_THEN_CRASH);
        LaneDispatcher a = life(provider, Duration.ofMinutes(1), window, "a", ownsA);
        assertThatThrownBy(() -> a.dispatch(group(laneA))).isInstanceOf(FakeProvider.Crash.class);

        // when lane A's partition comes to B, which meets A's intent in doubt at once
        LedgerLives.takeOver(ledgerB, provider.provider(), configB.bootstrapServers(), ownsA);
        b.dispatch(group(laneA));

        // then B waits the listing's window from then, finds the batch A created and records it: nothing is sent again
        assertThat(provider.createCalls).hasValue(1);
        assertThat(submittedBatches(runId, 1)).containsExactly(provider.batches.get(0).batchId());
    }

    @Test
    void shouldLeaveALaneRetryableWhenItsVerifyFirstCallCrashed() {
        // given a verify-first lane whose verify call is answered (and billed) but the dispatcher dies before
        // committing it
        FakeProvider provider = new FakeProvider(provider(), true);
        List<GenerationRequested> lane = lane("run-verify", "4o.a", 3, true);
        provider.crashOnCall = true;
        LaneDispatcher first = life(provider, Duration.ofMinutes(1));
        assertThatThrownBy(() -> first.dispatch(group(lane))).isInstanceOf(FakeProvider.Crash.class);

        // when the lane is redelivered to the next life
        provider.crashOnCall = false;
        life(provider, Duration.ofMinutes(1)).dispatch(group(lane));

        // then the verify call is not paid again, no batch is sent, and every generation can be retried
        assertThat(provider.calls).hasValue(1);
        assertThat(provider.createCalls).hasValue(0);
        List<GenerationCompleted> results = results("run-verify", 3, Duration.ofSeconds(30));
        assertThat(results).extracting(GenerationCompleted::errorKind)
                .containsExactlyInAnyOrder(ErrorKind.UNKNOWN_OUTCOME, ErrorKind.VERIFY_INCONCLUSIVE,
                        ErrorKind.VERIFY_INCONCLUSIVE);
        assertThat(results).allMatch(r -> r.errorKind().retryable());
    }

    @Test
    void shouldStoreABatchsBodiesWithItsIntentSoACrashBeforeTheCreateLeavesThemRecorded() {
        // given a lane of three requests, two of them replicates with one body, and a dispatcher that dies as the
        // create goes out, after the intent committed
        FakeProvider provider = new FakeProvider(provider(), true);
        provider.creates.add(FakeProvider.Create.CRASH_BEFORE_CREATE);
        List<GenerationRequested> lane = withReplicates("run-bodies-" + tag, "4o.a");
        LaneDispatcher dispatcher = life(provider, Duration.ofMinutes(1));

        // when the lane is dispatched
        assertThatThrownBy(() -> dispatcher.dispatch(group(lane))).isInstanceOf(FakeProvider.Crash.class);

        // then nothing was created, yet every distinct body is stored under the hash of its bytes, once
        assertThat(provider.batches).isEmpty();
        Set<String> hashes = lane.stream().map(r -> RequestBodyStored.hashOf(RequestBodies.json(RequestBodies.body(r))))
                .collect(Collectors.toSet());
        assertThat(hashes).hasSize(2);
        assertThat(bodies(hashes, 2).keySet()).containsExactlyInAnyOrderElementsOf(hashes);
    }

    @Test
    void shouldNameEachBatchEntrysBodyByTheHashOfTheBytesSent() {
        // given a lane with replicates
        FakeProvider provider = new FakeProvider(provider(), true);
        List<GenerationRequested> lane = withReplicates("run-hashes-" + tag, "4o.a");

        // when it is dispatched as a batch
        life(provider, Duration.ofMinutes(1)).dispatch(group(lane));

        // then each entry names the body its line sent, and that body is stored byte for byte
        Map<String, String> sentBodyOfCustomId = provider.sentLines.stream()
                .collect(Collectors.toMap(BatchLine::customId,
                        l -> new String(l.bodyUtf8(), java.nio.charset.StandardCharsets.UTF_8)));
        BatchSubmitted batch = submitted(lane.get(0).runId(), 1).get(0);
        assertThat(batch.entries()).hasSize(3).allSatisfy(e -> {
            assertThat(e.requestBodyHash()).isEqualTo(RequestBodyStored.hashOf(sentBodyOfCustomId.get(e.customId())));
            assertThat(e.promptVersion()).isEqualTo(1);
        });
        Set<String> hashes = batch.entries().stream().map(BatchEntry::requestBodyHash).collect(Collectors.toSet());
        assertThat(bodies(hashes, 2).values()).hasSize(2).allSatisfy(b -> assertThat(sentBodyOfCustomId).containsValue(b));
        // and each body's record holds only what is its own: the long shared context is stored once, on its own
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            assertThat(kafka.readEvents(Topics.REQUEST_BODIES.name(), RequestBodyStored.class,
                    b -> hashes.contains(b.bodyHash()), 2, Duration.ofSeconds(30)))
                    .hasSize(2).allSatisfy(b -> assertThat(b.body().length()).isLessThan(houseStyle(lane.get(0).runId()).length()))
                    .extracting(RequestBodyStored::textHash).containsOnly(RequestBodyStored.hashOf(escaped(houseStyle(lane.get(0).runId()))));
        }
    }

    /** A text as a body's JSON holds it: escaped, without the quotes. */
    private static String escaped(String text) {
        try {
            String quoted = io.apexaudition.events.EventJson.mapper().writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A run's own house style, long enough to be stored once rather than in every body (and by no other run). */
    private static String houseStyle(String runId) {
        return "# House style of " + runId + "\n\n" + "Prefer the concrete to the \"abstract\". ".repeat(80);
    }

    /** Two requests with one body (replicates of a prompt) and one with another. */
    private static List<GenerationRequested> withReplicates(String runId, String slug) {
        List<GenerationRequested> lane = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            int prompt = n == 3 ? 2 : 1;
            int replicate = n == 2 ? 2 : 1;
            String id = EventIds.generationId(runId, slug, "p0" + prompt, replicate);
            lane.add(new GenerationRequested("e-" + id, 1, Instant.now(), runId, id, 1, "cond-" + slug, slug,
                    "openai", "gpt-4o", "gpt-4o", new LaneParameters(0.8, 6000, null, null, null), "p0" + prompt, 1,
                    "Write piece " + prompt + " of " + runId, houseStyle(runId), replicate, RunMode.BATCH, false, false,
                    true, 3));
        }
        return lane;
    }

    /** The whole bodies stored under these hashes (long texts put back), each checked against its hash. */
    static Map<String, String> bodies(Set<String> hashes, int count) {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            return kafka.wholeBodies(hashes::contains, count, Duration.ofSeconds(30));
        }
    }

    /** Dispatches a batch lane on a thread of its own, and returns once its (first) create has begun. */
    private static Thread dispatchUntilItsCreateBegan(FakeProvider provider, LaneDispatcher dispatcher,
                                                      List<GenerationRequested> lane) {
        Thread batch = new Thread(() -> dispatcher.dispatch(group(lane)));
        batch.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> provider.createCalls.get() == 1);
        return batch;
    }

    private String provider() {
        return "fake-" + tag;
    }

    /** A new life of the dispatcher: its own publisher (same transactional id) and ledger, restored from the state. */
    private LaneDispatcher life(FakeProvider provider, Duration inDoubtTimeout) {
        return life(provider, inDoubtTimeout, WINDOW, "", key -> true);
    }

    /**
     * A new life of one instance of the dispatcher ({@code instance} names it: its transactional id) holding the lane
     * groups {@code owns} accepts, with the listing's consistency window given.
     */
    private LaneDispatcher life(FakeProvider provider, Duration inDoubtTimeout, Duration window, String instance,
                                Predicate<String> owns) {
        TestDispatcherConfig config = config(provider, inDoubtTimeout, window, instance);
        return new LaneDispatcher(provider, LedgerLives.newLife(publisher(config), provider.provider(),
                config.bootstrapServers(), owns), config);
    }

    private static TestDispatcherConfig config(FakeProvider provider, Duration inDoubtTimeout, Duration window,
                                               String instance) {
        return new TestDispatcherConfig(provider.provider(), KafkaInfra.bootstrapServers(),
                "test-dispatcher-" + provider.provider() + instance, window, inDoubtTimeout, 5);
    }

    private TransactionalPublisher publisher(TestDispatcherConfig config) {
        TransactionalPublisher publisher = new TransactionalPublisher(config.bootstrapServers(),
                config.transactionalId(), Duration.ofSeconds(10));
        closing.add(publisher::close);
        return publisher;
    }

    /** The requests of one lane, as the planner emits them. */
    private static List<GenerationRequested> lane(String runId, String slug, int size, boolean verifyFirst) {
        boolean anthropic = slug.startsWith("sonnet");
        return IntStream.rangeClosed(1, size).mapToObj(n -> {
            String id = EventIds.generationId(runId, slug, "p0" + n, 1);
            return new GenerationRequested("e-" + id, 1, Instant.now(), runId, id, 1, "cond-" + slug, slug,
                    anthropic ? "anthropic" : "openai", anthropic ? "claude-sonnet-4.5" : "gpt-4o",
                    anthropic ? "claude-sonnet-4-5" : "gpt-4o", new LaneParameters(0.8, 6000, null, null, null),
                    "p0" + n, 1, "Write piece " + n, "House style", 1, RunMode.BATCH, verifyFirst, false, true, size);
        }).toList();
    }

    static LaneGroup group(List<GenerationRequested> requests) {
        GenerationRequested first = requests.get(0);
        LaneGroup group = new LaneGroup(LaneGroup.key(first.runId(), first.conditionSlug(), 1),
                requests.size(), LaneGroup.Finished.NONE);
        requests.forEach(group::add);
        return group;
    }

    private static String intentIdOf(List<GenerationRequested> lane, int chunk) {
        GenerationRequested r = lane.get(0);
        return "intent-" + EventIds.nameUuid("batch", r.runId(), r.conditionSlug(), Integer.toString(r.attempt()),
                Integer.toString(chunk));
    }

    private static List<String> submittedBatches(String runId, int count) {
        return submitted(runId, count).stream().map(BatchSubmitted::batchId).toList();
    }

    private static List<BatchSubmitted> submitted(String runId, int count) {
        return submitted(runId, count, Duration.ofSeconds(30));
    }

    private static List<BatchSubmitted> submitted(String runId, int count, Duration wait) {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            return kafka.readEvents(Topics.BATCHES.name(), BatchSubmitted.class, b -> b.runId().equals(runId), count,
                    wait);
        }
    }

    static List<GenerationCompleted> results(String runId, int count, Duration wait) {
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaInfra.bootstrapServers())) {
            return kafka.readEvents(Topics.GENERATION_RESULTS.name(), GenerationCompleted.class,
                    c -> c.runId().equals(runId), count, wait);
        }
    }
}
