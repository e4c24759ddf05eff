package io.apexaudition.dispatcher.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apexaudition.core.LogContext;
import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.PartitionsLostException;
import io.apexaudition.providers.GenerationOutcome;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link SyncCaller} when something fails: a commit, for another reason than a Kafka outage (which {@code commitPaid}
 * waits out): a producer fenced by another with its transactional id, or the request partition gone to another
 * instance; or a call interrupted before it went out. Without a broker: a ledger in memory whose chosen commit fails,
 * once or from then on.
 */
class SyncCallerFailureTest {
    /** One provider and one caller per window shape for every case (a caller's threads end a while after its last call). */
    private static final FakeProvider PROVIDER = new FakeProvider("fake-commit-failure", true);
    private static final Map<String, SyncCaller> CALLERS = new ConcurrentHashMap<>();
    private static volatile FailingLedger current;

    static {
        PROVIDER.onCall = body -> current.called(body);
    }

    /** How the chosen commit fails. */
    enum Failure {
        /** It fails, the next commit goes through (a producer fenced by a stray one: the publisher starts anew). */
        ONCE,
        /** It and every later one fail (the partition went to another instance: nothing can commit for it now). */
        FROM_THEN_ON
    }

    @Test
    void shouldCommitThePaidResultsOfACommitThatFailedOnceBeforeTheGroupFails() {
        // given a lane of 6 calls, one at a time in a window of 2, whose first commit holding a paid result is
        // refused once (the second commit: the first holds only the window's two intents)
        FailingLedger ledger = new FailingLedger("run-once", 6, 2, Failure.ONCE,
                () -> new IllegalStateException("Kafka refused 3 event(s) for good: ProducerFencedException"));

        // when its calls are made
        Throwable thrown = ledger.callAll(1, 2);

        // then the group fails (a call's intent may be in doubt), but every call paid for has its result committed
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("ProducerFenced");
        assertThat(ledger.calls).isNotEmpty().doesNotHaveDuplicates();
        assertThat(ledger.settled).as("custom ids whose paid result was committed")
                .containsExactlyInAnyOrderElementsOf(ledger.calls);
        assertThat(ledger.calledBeforeIntent).isEmpty();
    }

    @Test
    void shouldStartNoCallAndCommitNothingMoreOnceThePartitionIsLost() {
        // given the same lane, whose partition goes to another instance before the first paid result is committed
        FailingLedger ledger = new FailingLedger("run-lost", 6, 2, Failure.FROM_THEN_ON,
                () -> new PartitionsLostException("request partition 3 is not owned by this dispatcher", null));

        // when its calls are made
        Throwable thrown = ledger.callAll(1, 2);

        // then only the first window was called, once each, and its intents stay unsettled for the new owner to end
        // unknown_outcome (it never calls an intent again)
        assertThat(thrown).isInstanceOf(PartitionsLostException.class);
        assertThat(ledger.calls).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ledger.intended);
        assertThat(ledger.intended).hasSize(2);
        assertThat(ledger.settled).isEmpty();
    }

    @Test
    void shouldFailTheGroupWhenACallIsInterruptedBeforeItGoesOut() throws Exception {
        // given a lane of 3 whose calls wait for their model's limiter, its only permit held elsewhere
        FailingLedger ledger = new FailingLedger("run-interrupted", 3, Integer.MAX_VALUE, Failure.ONCE,
                IllegalStateException::new);
        SyncCaller caller = new SyncCaller(PROVIDER, new Forwarding(), TestDispatcherConfig.sync(1, OptionalInt.of(3)));
        String model = ledger.lane.get(0).model();
        AdaptiveLimiter limiter = caller.limiterOf(model);
        AdaptiveLimiter.Permit held = limiter.acquire();
        Throwable thrown;
        try {
            java.util.concurrent.CompletableFuture<Throwable> called =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> ledger.callAll(caller));
            // the first call waits for the permit on the model's starter thread, the two others behind it
            Thread starter = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> waitingForALimiter(model), found -> found.size() == 1
                            && caller.waitingFor(model) == 2).get(0);

            // when the wait is interrupted (a shutdown), and the others get the permit
            starter.interrupt();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> caller.waitingFor(model) == 1 && waitingForALimiter(model).size() == 1);
            limiter.release(held);
            held = null;
            thrown = called.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            if (held != null) {
                limiter.release(held);
            }
        }

        // then the group fails, so that its redelivery ends the intent left without a call unknown_outcome: had it
        // ended as dispatched, its offset would pass the group and nothing would ever settle that intent
        assertThat(ledger.intended).hasSize(3);
        assertThat(ledger.calls).hasSize(2);
        assertThat(ledger.settled).containsExactlyInAnyOrderElementsOf(ledger.calls);
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(InterruptedException.class);
    }

    @Test
    void shouldHoldAThreadOnlyForTheCallsItsLimiterLetsRun() {
        // given a lane of 40 at a model concurrency of 2 whose calls each take a moment
        FailingLedger ledger = new FailingLedger("run-threads", 40, Integer.MAX_VALUE, Failure.ONCE,
                IllegalStateException::new);
        java.util.concurrent.atomic.AtomicInteger threadsWaiting = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger callingNow = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger callsAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<AdaptiveLimiter> limiter =
                new java.util.concurrent.atomic.AtomicReference<>();
        FakeProvider provider = new FakeProvider("fake-threads", true);
        provider.onCall = body -> {
            callsAtOnce.accumulateAndGet(callingNow.incrementAndGet(), Math::max);
            try {
                ledger.called(body);
                threadsWaiting.accumulateAndGet(callThreadsWaitingForAPermit(), Math::max);
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                callingNow.decrementAndGet();
            }
        };
        SyncCaller caller = new SyncCaller(provider, new Forwarding(), TestDispatcherConfig.sync(2, OptionalInt.of(16)));
        limiter.set(caller.limiterOf(ledger.lane.get(0).model()));

        // when the whole lane is called with a window of 16
        Throwable thrown = ledger.callAll(caller);

        // then every call ran, and no call thread waited for a permit: a call waiting for its limiter held no thread
        // (a thread per call of the window would have had 14 waiting beside the 2 calling)
        assertThat(thrown).isNull();
        assertThat(ledger.calls).hasSize(40).doesNotHaveDuplicates();
        assertThat(threadsWaiting.get()).isZero();
        assertThat(callsAtOnce.get()).isBetween(1, 2);
        assertThat(caller.waitingFor(ledger.lane.get(0).model())).isZero();
        // every permit given back before its call is reported
        assertThat(limiter.get().inFlight()).isZero();
    }

    @Test
    void shouldCallEachLaneGroupWithItsOwnLogContextNotThatOfTheGroupWhoseCallStartedTheThreads() throws Exception {
        // given a caller whose threads were started by a lane group whose thread had a batch in its log context
        FailingLedger first = new FailingLedger("run-context-a", 4, Integer.MAX_VALUE, Failure.ONCE,
                IllegalStateException::new);
        FailingLedger second = new FailingLedger("run-context-b", 4, Integer.MAX_VALUE, Failure.ONCE,
                IllegalStateException::new);
        Set<String> batchesSeenBySecond = ConcurrentHashMap.newKeySet();
        FakeProvider provider = new FakeProvider("fake-context", true);
        provider.onCall = body -> {
            current.called(body);
            if (current == second) {
                batchesSeenBySecond.add(String.valueOf(org.jboss.logging.MDC.get(LogContext.BATCH_ID)));
            }
        };
        SyncCaller caller = new SyncCaller(provider, new Forwarding(), TestDispatcherConfig.sync(2, OptionalInt.of(4)));
        Throwable firstThrew = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (LogContext ignored = LogContext.of(LogContext.BATCH_ID, "batch-of-another-group")) {
                return first.callAll(caller);
            }
        }).get(10, java.util.concurrent.TimeUnit.SECONDS);

        // when another lane group, with no batch in its context, calls through the same threads
        Throwable secondThrew = java.util.concurrent.CompletableFuture.supplyAsync(() -> second.callAll(caller))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        // then its calls carry no batch: not the first group's
        assertThat(firstThrew).isNull();
        assertThat(secondThrew).isNull();
        assertThat(second.calls).hasSize(4);
        assertThat(batchesSeenBySecond).containsExactly("null");
    }

    /** The call threads (of every caller this JVM runs) waiting in a limiter for a permit. */
    private static int callThreadsWaitingForAPermit() {
        return (int) Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("sync-call") && java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(AdaptiveLimiter.class.getName())
                                && f.getMethodName().equals("acquire")))
                .count();
    }

    /** The model's starter thread while it is in the limiter for a permit (an interrupt is kept until it waits). */
    private static List<Thread> waitingForALimiter(String model) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("sync-start " + model)
                        && java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(AdaptiveLimiter.class.getName())
                                && f.getMethodName().equals("acquire")))
                .map(Map.Entry::getKey).toList();
    }

    @Property(tries = 150)
    void shouldNeverCallTwiceNorLoseAPaidResultToACommitThatFailsOnce(
            @ForAll @IntRange(min = 1, max = 14) int size, @ForAll @IntRange(min = 1, max = 3) int concurrency,
            @ForAll @IntRange(min = 0, max = 2) int extraWindow, @ForAll @IntRange(min = 1, max = 8) int failAt,
            @ForAll Failure failure, @ForAll boolean partitionLost) {
        // given a lane whose chosen commit fails, once or from then on, fenced or not
        Supplier<RuntimeException> exception = partitionLost
                ? () -> new PartitionsLostException("request partition 3 is not owned by this dispatcher", null)
                : () -> new IllegalStateException("Kafka refused 2 event(s) for good: ProducerFencedException");
        FailingLedger ledger = new FailingLedger("run-prop", size, failAt, failure, exception);

        // when its calls are made
        Throwable thrown = ledger.callAll(concurrency, concurrency + extraWindow);

        // then no call started before its intent committed, none twice
        assertThat(ledger.calledBeforeIntent).isEmpty();
        assertThat(ledger.calls).doesNotHaveDuplicates();
        assertThat(ledger.intended).containsAll(ledger.calls);
        if (ledger.failed == 0) {
            // nothing failed: every request was called and settled
            assertThat(thrown).isNull();
            assertThat(ledger.settled).hasSize(size).containsExactlyInAnyOrderElementsOf(ledger.calls);
            return;
        }
        // and the group fails with what failed its commit, so it is delivered again (the intents left unsettled
        // end unknown_outcome then, the requests without one are called then)
        assertThat(thrown).isNotNull().hasMessage(exception.get().getMessage());
        if (failure == Failure.ONCE) {
            // a paid result is not lost while the process lives: each call made has its result committed
            assertThat(ledger.settled).containsExactlyInAnyOrderElementsOf(ledger.calls);
        } else {
            // nothing commits once the partition is gone: the calls made are those of the intents committed before
            assertThat(ledger.calls).containsExactlyInAnyOrderElementsOf(ledger.intended);
        }
    }

    /**
     * Commits in memory what a transaction holds: the custom ids of the intents and of the settlements (a paid result
     * rides with its settlement). Its {@code failAt}-th commit (counting both kinds) fails and commits nothing.
     */
    static final class FailingLedger implements SyncCaller.Ledger {
        final List<GenerationRequested> lane;
        final Map<String, String> customIdOfText;
        final int failAt;
        final Failure failure;
        final Supplier<RuntimeException> exception;
        final Set<String> intended = ConcurrentHashMap.newKeySet();
        /** Every committed settlement, in order: a list, so a paid result committed twice would show. */
        final List<String> settled = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> calledBeforeIntent = new CopyOnWriteArrayList<>();
        int commits;
        int failed;

        FailingLedger(String run, int size, int failAt, Failure failure, Supplier<RuntimeException> exception) {
            String runId = run + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            this.lane = SyncCallerTest.lane(runId, size);
            this.customIdOfText = lane.stream().collect(Collectors.toMap(GenerationRequested::promptText,
                    GenerationRequested::customId));
            this.failAt = failAt;
            this.failure = failure;
            this.exception = exception;
        }

        /** Calls the lane through a caller of this window; what it threw, or null. */
        Throwable callAll(int concurrency, int window) {
            return callAll(CALLERS.computeIfAbsent(concurrency + "/" + window, k -> new SyncCaller(PROVIDER,
                    new Forwarding(), TestDispatcherConfig.sync(concurrency, OptionalInt.of(window)))));
        }

        /** Calls the lane through this caller (its ledger a {@link Forwarding}); what it threw, or null. */
        Throwable callAll(SyncCaller caller) {
            current = this;
            return catchThrowable(() -> caller.callAll(lane));
        }

        void called(ObjectNode body) {
            String sent = body.toString();
            customIdOfText.forEach((text, customId) -> {
                if (sent.contains(text)) {
                    calls.add(customId);
                    if (!intended.contains(customId)) {
                        calledBeforeIntent.add(customId);
                    }
                }
            });
        }

        @Override
        public DispatchIntended intent(GenerationRequested r, DispatchIntended.Kind kind) {
            String intentId = "intent-" + r.customId();
            return new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId), DispatchIntended.SCHEMA_VERSION,
                    Instant.now(), intentId, PROVIDER.provider(), r.runId(), r.conditionSlug(), r.model(), kind, 0,
                    List.of(r.customId()));
        }

        @Override
        public List<Addressed> intended(Prepared p, DispatchIntended intent) {
            return List.of(new Addressed(Topics.BATCHES, intent));
        }

        @Override
        public List<Addressed> outcome(Prepared p, DispatchIntended intent, GenerationOutcome outcome) {
            return List.of(new Addressed(Topics.BATCHES, new DispatchSettled(EventIds.nameUuid("DispatchSettled",
                    intent.intentId()), DispatchSettled.SCHEMA_VERSION, Instant.now(), intent.intentId(),
                    intent.provider(), intent.runId(), outcome.status() == GenerationStatus.COMPLETED,
                    outcome.errorMessage())));
        }

        @Override
        public synchronized void commit(List<Addressed> events) {
            commits++;
            if (commits == failAt || failure == Failure.FROM_THEN_ON && commits > failAt) {
                failed++;
                throw exception.get();
            }
            for (Addressed a : events) {
                if (a.event() instanceof DispatchIntended i) {
                    intended.add(i.customIds().get(0));
                } else if (a.event() instanceof DispatchSettled s) {
                    settled.add(s.intentId().substring("intent-".length()));
                }
            }
        }

        @Override
        public void commitPaid(List<Addressed> events) {
            // an outage would be waited out here; these failures are not outages, so they go through
            commit(events);
        }
    }

    /** The ledger of the case under way, for the callers shared between cases. */
    private static final class Forwarding implements SyncCaller.Ledger {
        @Override
        public DispatchIntended intent(GenerationRequested r, DispatchIntended.Kind kind) {
            return current.intent(r, kind);
        }

        @Override
        public List<Addressed> intended(Prepared p, DispatchIntended intent) {
            return current.intended(p, intent);
        }

        @Override
        public List<Addressed> outcome(Prepared p, DispatchIntended intent, GenerationOutcome outcome) {
            return current.outcome(p, intent, outcome);
        }

        @Override
        public void commit(List<Addressed> events) {
            current.commit(events);
        }

        @Override
        public void commitPaid(List<Addressed> events) {
            current.commitPaid(events);
        }
    }
}
