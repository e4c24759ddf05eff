package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.dispatcher.messaging.LedgerLives;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LaneParameters;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import io.apexaudition.testsupport.KafkaInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Synchronous lanes through a real broker: intents committed a window at a time before their calls, results and
 * settlements group-committed, and a crash mid-window ending that window's calls unknown, never calling them again.
 */
class SyncCallerTest {
    private static final int CONCURRENCY = 8;
    private final List<Runnable> closing = new ArrayList<>();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void tearDown() {
        closing.forEach(Runnable::run);
    }

    @Test
    void shouldCommitEachIntentBeforeItsCallAndGroupManyCallsPerTransaction() {
        // given a synchronous lane of 60 requests, an instant provider that checks each call's intent is committed,
        // and a publisher that counts transactions
        FakeProvider provider = new FakeProvider("fake-" + tag, true);
        List<GenerationRequested> lane = lane("run-group-" + tag, 60);
        Map<String, String> customIdOfText = lane.stream().collect(Collectors.toMap(
                GenerationRequested::promptText, GenerationRequested::customId));
        CountingPublisher publisher = publisher(provider.provider());
        List<String> calledBeforeIntent = new java.util.concurrent.CopyOnWriteArrayList<>();
        provider.onCall = body -> {
            String sent = body.toString();
            customIdOfText.forEach((text, customId) -> {
                if (sent.contains(text) && !publisher.intended.contains(customId)) {
                    calledBeforeIntent.add(customId);
                }
            });
        };

        // when it is dispatched at concurrency 8
        LaneDispatcher dispatcher = dispatcher(provider, publisher);
        long t0 = System.nanoTime();
        dispatcher.dispatch(LaneDispatcherReconciliationTest.group(lane));
        System.out.printf("SyncCallerTest: 60 calls in %d transactions, %d ms%n", publisher.transactions.get(),
                (System.nanoTime() - t0) / 1_000_000);

        // then each request was called once, after its intent committed, with at most a window of calls open
        assertThat(provider.calls).hasValue(60);
        assertThat(calledBeforeIntent).isEmpty();
        assertThat(publisher.maxOpen).hasValueLessThanOrEqualTo(2 * CONCURRENCY);
        assertThat(publisher.intended).hasSize(60);
        assertThat(publisher.settled).hasSize(60);
        assertThat(LaneDispatcherReconciliationTest.results(lane.get(0).runId(), 60, Duration.ofSeconds(30))).extracting(GenerationCompleted::status)
                .containsOnly(GenerationStatus.COMPLETED);

        // and far fewer transactions than the two per call it took one call at a time
        assertThat(publisher.transactions.get()).as("transactions for 60 calls").isLessThanOrEqualTo(60 / 2);
    }

    @Test
    void shouldEndAWindowCutShortByACrashUnknownAndNeverCallItAgain() {
        // given a dispatcher that dies once its calls are answered, before any result is committed
        FakeProvider provider = new FakeProvider("fake-" + tag, true);
        List<GenerationRequested> lane = lane("run-crash-" + tag, 40);
        provider.crashOnCall = true;
        LaneDispatcher first = dispatcher(provider, publisher(provider.provider()));
        assertThatThrownBy(() -> first.dispatch(LaneDispatcherReconciliationTest.group(lane))).isInstanceOf(FakeProvider.Crash.class);
        int paidBeforeCrash = provider.calls.get();

        // when the lane is redelivered to the next life
        provider.crashOnCall = false;
        dispatcher(provider, publisher(provider.provider())).dispatch(LaneDispatcherReconciliationTest.group(lane));

        // then the window the crash cut short ends unknown, the rest completes, and nothing was called twice
        assertThat(paidBeforeCrash).isBetween(1, 2 * CONCURRENCY);
        assertThat(provider.calls).hasValue(40);
        List<GenerationCompleted> results = LaneDispatcherReconciliationTest.results(lane.get(0).runId(), 40, Duration.ofSeconds(30));
        assertThat(results.stream().filter(r -> r.errorKind() == ErrorKind.UNKNOWN_OUTCOME)).hasSize(paidBeforeCrash);
        assertThat(results.stream().filter(r -> r.status() == GenerationStatus.COMPLETED)).hasSize(40 - paidBeforeCrash);
    }

    @Test
    void shouldStoreEachCallsBodyBeforeTheCallSoACrashDuringItLeavesTheBodyRecorded() {
        // given a synchronous lane whose dispatcher dies as soon as a call is answered
        FakeProvider provider = new FakeProvider("fake-" + tag, true);
        // (with a house style of its own long enough to be stored once, on its own, in the intents' transaction)
        String runId = "run-sync-bodies-" + tag;
        List<GenerationRequested> lane = lane(runId, 4, "# House style of " + runId + "\n" + "Be concrete. ".repeat(200));
        Set<String> sentHashes = ConcurrentHashMap.newKeySet();
        provider.onCall = body -> sentHashes.add(RequestBodyStored.hashOf(RequestBodies.json(body)));
        provider.crashOnCall = true;

        // when the lane is dispatched
        LaneDispatcher dispatcher = dispatcher(provider, publisher(provider.provider()));
        assertThatThrownBy(() -> dispatcher.dispatch(LaneDispatcherReconciliationTest.group(lane)))
                .isInstanceOf(FakeProvider.Crash.class);

        // then every body a call sent is stored under the hash of the bytes sent (its long text put back), though no
        // result was committed
        assertThat(sentHashes).isNotEmpty();
        assertThat(LaneDispatcherReconciliationTest.bodies(sentHashes, sentHashes.size()).keySet())
                .containsExactlyInAnyOrderElementsOf(sentHashes);
    }

    @Test
    void shouldCommitThePaidResultsOfATransactionRefusedOnceSoTheRedeliveryEndsNothingUnknown() {
        // given a synchronous lane whose first transaction holding paid results is refused once (a producer fenced
        // by a stray one with its transactional id), not as an outage
        FakeProvider provider = new FakeProvider("fake-" + tag, true);
        List<GenerationRequested> lane = lane("run-refused-once-" + tag, 20);
        List<String> calledTexts = bodiesSent(provider);
        LaneDispatcher first = refusingFrom(2, false, provider,
                () -> new IllegalStateException("Kafka refused 5 event(s) for good: ProducerFencedException"));

        // when the lane is dispatched, fails, and is delivered again (the intake restores and dispatches it anew)
        assertThatThrownBy(() -> first.dispatch(LaneDispatcherReconciliationTest.group(lane)))
                .hasMessageContaining("ProducerFenced");
        dispatcher(provider, publisher(provider.provider())).dispatch(LaneDispatcherReconciliationTest.group(lane));

        // then every request was called once and completed: no bought answer was dropped to end unknown
        assertThat(provider.calls).hasValue(20);
        assertThat(calledOnceEach(lane, calledTexts)).isTrue();
        assertThat(LaneDispatcherReconciliationTest.results(lane.get(0).runId(), 20, Duration.ofSeconds(30)))
                .extracting(GenerationCompleted::status).containsOnly(GenerationStatus.COMPLETED);
    }

    @Test
    void shouldEndTheCallsOfAPartitionLostMidLaneUnknownOnRedeliveryAndCallNothingTwice() {
        // given a synchronous lane whose partition goes to another instance once its first window is under way:
        // every transaction from the one holding the first paid results on is refused
        FakeProvider provider = new FakeProvider("fake-" + tag, true);
        List<GenerationRequested> lane = lane("run-lost-" + tag, 20);
        List<String> calledTexts = bodiesSent(provider);
        LaneDispatcher first = refusingFrom(2, true, provider,
                () -> new TransactionalPublisher.PartitionsLostException("the group moved on", null));
        assertThatThrownBy(() -> first.dispatch(LaneDispatcherReconciliationTest.group(lane)))
                .isInstanceOf(TransactionalPublisher.PartitionsLostException.class);
        int paidByTheFirst = provider.calls.get();

        // when the new owner dispatches the lane
        dispatcher(provider, publisher(provider.provider())).dispatch(LaneDispatcherReconciliationTest.group(lane));

        // then the first window ends unknown (nothing of it could commit), the rest completes, nothing called twice
        assertThat(paidByTheFirst).isBetween(1, 2 * CONCURRENCY);
        assertThat(provider.calls).hasValue(20);
        assertThat(calledOnceEach(lane, calledTexts)).isTrue();
        List<GenerationCompleted> results = LaneDispatcherReconciliationTest.results(lane.get(0).runId(), 20,
                Duration.ofSeconds(30));
        assertThat(results.stream().filter(r -> r.errorKind() == ErrorKind.UNKNOWN_OUTCOME)).hasSize(paidByTheFirst);
        assertThat(results.stream().filter(r -> r.status() == GenerationStatus.COMPLETED))
                .hasSize(20 - paidByTheFirst);
    }

    /** A dispatcher whose {@code refuseAt}-th transaction is refused (and every later one, {@code fromThenOn}). */
    private LaneDispatcher refusingFrom(int refuseAt, boolean fromThenOn, FakeProvider provider,
                                        java.util.function.Supplier<RuntimeException> refusal) {
        RefusingPublisher refusing = new RefusingPublisher(provider.provider(), refuseAt, fromThenOn, refusal);
        closing.add(refusing::close);
        return dispatcher(provider, refusing);
    }

    /** The bodies the provider is sent from now on, as text. */
    private static List<String> bodiesSent(FakeProvider provider) {
        List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        provider.onCall = body -> sent.add(body.toString());
        return sent;
    }

    /** Whether each request's body went out exactly once. */
    private static boolean calledOnceEach(List<GenerationRequested> lane, List<String> calledTexts) {
        return lane.stream().allMatch(r -> calledTexts.stream()
                .filter(body -> body.contains(r.promptText())).count() == 1);
    }

    /**
     * Refuses its {@code refuseAt}-th transaction (and, {@code fromThenOn}, every later one) with the exception given,
     * committing nothing of it.
     */
    static final class RefusingPublisher extends CountingPublisher {
        final AtomicInteger attempts = new AtomicInteger();
        final int refuseAt;
        final boolean fromThenOn;
        final java.util.function.Supplier<RuntimeException> refusal;

        RefusingPublisher(String provider, int refuseAt, boolean fromThenOn,
                          java.util.function.Supplier<RuntimeException> refusal) {
            super(KafkaInfra.bootstrapServers(), "test-dispatcher-" + provider);
            this.refuseAt = refuseAt;
            this.fromThenOn = fromThenOn;
            this.refusal = refusal;
        }

        @Override
        public synchronized long publishOwned(GroupPosition position, List<Placed> placed,
                                              Consumer<Consumer<Addressed>> source, String chaosPoint) {
            int attempt = attempts.incrementAndGet();
            if (attempt == refuseAt || fromThenOn && attempt > refuseAt) {
                throw refusal.get();
            }
            return super.publishOwned(position, placed, source, chaosPoint);
        }
    }

    /** Counts transactions, and the sync intents and settlements they commit. */
    static class CountingPublisher extends TransactionalPublisher {
        final AtomicInteger transactions = new AtomicInteger();
        final Set<String> intended = ConcurrentHashMap.newKeySet();
        final Set<String> settled = ConcurrentHashMap.newKeySet();
        final AtomicInteger maxOpen = new AtomicInteger();

        CountingPublisher(String bootstrapServers, String transactionalId) {
            super(bootstrapServers, transactionalId, Duration.ofSeconds(10));
        }

        @Override
        public synchronized long publishOwned(GroupPosition position, List<Placed> placed,
                                              Consumer<Consumer<Addressed>> source, String chaosPoint) {
            List<Addressed> events = new ArrayList<>();
            source.accept(events::add);
            long committed = super.publishOwned(position, placed, sink -> events.forEach(sink), chaosPoint);
            transactions.incrementAndGet();
            for (Addressed a : events) {
                if (a.event() instanceof DispatchIntended i) {
                    intended.add(i.customIds().get(0));
                } else if (a.event() instanceof DispatchSettled s) {
                    settled.add(s.intentId());
                }
            }
            maxOpen.accumulateAndGet(intended.size() - settled.size(), Math::max);
            return committed;
        }
    }

    private CountingPublisher publisher(String provider) {
        CountingPublisher publisher = new CountingPublisher(KafkaInfra.bootstrapServers(), "test-dispatcher-" + provider);
        closing.add(publisher::close);
        return publisher;
    }

    private LaneDispatcher dispatcher(FakeProvider provider, TransactionalPublisher publisher) {
        DispatcherConfig config = new TestDispatcherConfig(provider.provider(), KafkaInfra.bootstrapServers(),
                "test-dispatcher-" + provider.provider(), Duration.ofSeconds(2), Duration.ofMinutes(1), 5,
                TestDispatcherConfig.sync(CONCURRENCY, OptionalInt.empty()));
        return new LaneDispatcher(provider, LedgerLives.newLife(publisher, provider.provider()), config);
    }

    static List<GenerationRequested> lane(String runId, int size) {
        return lane(runId, size, null);
    }

    static List<GenerationRequested> lane(String runId, int size, String sharedContext) {
        return IntStream.rangeClosed(1, size).mapToObj(n -> {
            String id = EventIds.generationId(runId, "4o.sync", "p" + n, 1);
            return new GenerationRequested("e-" + id, 1, Instant.now(), runId, id, 1, "cond-4o", "4o.sync", "openai",
                    "gpt-4o", "gpt-4o", new LaneParameters(0.8, 600, null, null, null), "p" + n, 1,
                    "Write piece " + n + " of " + runId + ".", sharedContext, 1, RunMode.SYNC, false, false, true, size);
        }).toList();
    }
}
