package io.apexaudition.dispatcher.messaging;

import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.Providers;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import io.apexaudition.testsupport.KafkaInfra;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group commit under any mix of callers and faults: lane groups dispatched side by side commit at once, some in
 * a partition this instance does not own, some whose bodies cannot be written (an exception or an Error), while
 * Kafka refuses or cannot take some transactions. Whatever the timing, a caller returns normally exactly when all of
 * its events landed in one transaction, the failure it is told is its own or Kafka's (never another caller's), and
 * the ledger holds exactly the intents that landed. The publisher is faked (it writes nothing to Kafka), so the
 * tries are fast; the real broker's side is in {@link OwnedLaneStatesTest}.
 */
class GroupCommitPropertyTest {
    private static final int OWNED = 2;
    /** One for every try: its constructor starts a transactional producer on the test broker, which is then closed. */
    private static FakePublisher publisher;

    /** What one lane group brings: where its requests are, and what writing its bodies does. */
    enum Fault { NONE, NOT_OWNED, BODIES_THROW, BODIES_ERROR }

    /** What Kafka does with a transaction, by its number. */
    enum Verdict { COMMIT, REFUSE, OUTAGE }

    @Property(tries = 150)
    void shouldLandEachCallersEventsAllOrNoneAndTellEachOnlyItsOwnOrKafkasFailure(
            @ForAll("faults") List<Fault> callers, @ForAll("verdicts") List<Verdict> verdicts) throws Exception {
        // given a ledger owning one request partition, and a Kafka that decides each transaction by its number
        if (publisher == null) {
            publisher = new FakePublisher();
        }
        publisher.reset(verdicts);
        OwnedLaneStates states = new OwnedLaneStates(publisher, Providers.OPENAI, "unused:9092",
                Topics.DISPATCH_STATE_OPENAI, Topics.GENERATION_REQUESTS_OPENAI);
        states.owned(OWNED, 0, List.of());
        states.fencedBy(() -> new ConsumerGroupMetadata("group-commit-property"));
        String run = "run-" + System.nanoTime();
        for (int i = 0; i < callers.size(); i++) {
            states.offsets(OWNED).arrived(run + "/lane" + i + "/1", i);
        }

        // when every lane group commits two intents at once
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
        Set<Integer> returned = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers.size(); i++) {
            int caller = i;
            Fault fault = callers.get(i);
            threads.add(new Thread(() -> {
                states.dispatching(run + "/lane" + caller + "/1", fault == Fault.NOT_OWNED ? OWNED + 1 : OWNED);
                try {
                    go.await(10, TimeUnit.SECONDS);
                    states.commit(List.of(intent(run, caller, 1), intent(run, caller, 2)), bodies(fault, caller));
                    returned.add(caller);
                } catch (RuntimeException | Error e) {
                    failures.put(caller, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lane-" + caller));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join(30_000);
            assertThat(t.isAlive()).as("a caller still waiting").isFalse();
        }

        // then each caller either returned (its two intents landed together, once) or was told why
        Map<String, Integer> landed = new HashMap<>();
        for (List<Addressed> transaction : publisher.committed) {
            for (Addressed a : transaction) {
                landed.merge(((DispatchIntended) a.event()).intentId(), 1, Integer::sum);
            }
        }
        for (int caller = 0; caller < callers.size(); caller++) {
            Fault fault = callers.get(caller);
            String first = intentId(run, caller, 1);
            String second = intentId(run, caller, 2);
            assertThat(returned.contains(caller) ^ failures.containsKey(caller)).as("caller %d ended once", caller)
                    .isTrue();
            if (returned.contains(caller)) {
                assertThat(landed.get(first)).as("caller %d returned: its first intent landed once", caller)
                        .isEqualTo(1);
                assertThat(landed.get(second)).as("and its second", caller).isEqualTo(1);
                assertThat(sameTransaction(publisher.committed, first, second)).as("in one transaction").isTrue();
                assertThat(states.intent(first)).as("held").isPresent();
                assertThat(fault).isEqualTo(Fault.NONE);
            } else {
                assertThat(landed).as("caller %d was told it failed: nothing of it landed", caller)
                        .doesNotContainKeys(first, second);
                assertThat(states.intent(first)).as("nor is held").isEmpty();
                Throwable told = failures.get(caller);
                switch (fault) {
                    case NOT_OWNED -> assertThat(told).isInstanceOf(TransactionalPublisher.PartitionsLostException.class);
                    case BODIES_THROW, BODIES_ERROR -> assertThat(told).hasMessage("bodies of caller " + caller);
                    case NONE -> {
                        // an innocent caller is told only Kafka's failure, of the last transaction it was in: an
                        // outage (which refuses everyone in it), or a refusal of a transaction of its own (a shared
                        // one refused is tried again caller by caller)
                        Attempt last = lastAttemptOf(publisher.attempts, caller);
                        assertThat(last).as("caller %d was in a transaction", caller).isNotNull();
                        if (told instanceof KafkaUnavailableException) {
                            assertThat(last.verdict()).isEqualTo(Verdict.OUTAGE);
                        } else {
                            assertThat(told).hasMessage("refused by Kafka (the test's doing)");
                            assertThat(last.verdict()).isEqualTo(Verdict.REFUSE);
                            assertThat(last.callers()).as("refused in a transaction of its own").containsOnly(caller);
                        }
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Fault>> faults() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(7, Arbitraries.just(Fault.NONE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Fault.NOT_OWNED)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Fault.BODIES_THROW)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Fault.BODIES_ERROR)))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Verdict>> verdicts() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(Verdict.COMMIT)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Verdict.REFUSE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Verdict.OUTAGE)))
                .list().ofMaxSize(12);
    }

    /** One transaction as the fake Kafka saw it: the callers whose events it was handed, and what became of it. */
    record Attempt(Set<Integer> callers, Verdict verdict) {
    }

    /**
     * Writes nothing: each transaction asks its bodies, then is decided by its number (beyond the list: committed).
     * It takes a millisecond, so that the callers come together behind it.
     */
    private static final class FakePublisher extends TransactionalPublisher {
        final List<List<Addressed>> committed = Collections.synchronizedList(new ArrayList<>());
        final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        /** Transactions of more than one caller, over every try: the property means little without them. */
        int shared;
        private List<Verdict> verdicts = List.of();
        private int transactions;

        FakePublisher() {
            super(KafkaInfra.bootstrapServers(), "group-commit-property-" + System.nanoTime(), Duration.ofSeconds(30));
            close(); // its own producer is never used
        }

        synchronized void reset(List<Verdict> verdicts) {
            this.verdicts = verdicts;
            transactions = 0;
            committed.clear();
            attempts.clear();
        }

        @Override
        public synchronized long publishOwned(GroupPosition position, List<Placed> placed,
                                              Consumer<Consumer<Addressed>> source, String chaosPoint) {
            List<Addressed> sent = new ArrayList<>();
            Verdict verdict = transactions < verdicts.size() ? verdicts.get(transactions) : Verdict.COMMIT;
            transactions++;
            try {
                source.accept(sent::add);
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                Set<Integer> callers = new HashSet<>();
                sent.forEach(a -> callers.add(callerOf(a)));
                attempts.add(new Attempt(callers, verdict));
                shared += callers.size() > 1 ? 1 : 0;
            }
            switch (verdict) {
                case REFUSE -> throw new IllegalStateException("refused by Kafka (the test's doing)");
                case OUTAGE -> throw new KafkaUnavailableException("Kafka did not commit " + sent.size()
                        + " event(s) (the test's doing)", null);
                default -> committed.add(sent);
            }
            return sent.size();
        }
    }

    private static int callerOf(Addressed a) {
        return Integer.parseInt(((DispatchIntended) a.event()).conditionSlug().substring("lane".length()));
    }

    @AfterContainer
    static void shouldHaveSharedTransactions() {
        // the tries must have put callers together, or the property says nothing of the group commit
        assertThat(publisher.shared).as("transactions shared by several callers, over every try").isGreaterThanOrEqualTo(5);
    }

    private static java.util.function.Supplier<Iterator<Addressed>> bodies(Fault fault, int caller) {
        return () -> {
            if (fault == Fault.BODIES_THROW) {
                throw new IllegalArgumentException("bodies of caller " + caller);
            }
            if (fault == Fault.BODIES_ERROR) {
                throw new StackOverflowError("bodies of caller " + caller);
            }
            return Collections.emptyIterator();
        };
    }

    private static Attempt lastAttemptOf(List<Attempt> attempts, int caller) {
        Attempt last = null;
        for (Attempt a : attempts) {
            if (a.callers().contains(caller)) {
                last = a;
            }
        }
        return last;
    }

    private static boolean sameTransaction(List<List<Addressed>> transactions, String first, String second) {
        for (List<Addressed> t : transactions) {
            Set<String> ids = new HashSet<>();
            t.forEach(a -> ids.add(((DispatchIntended) a.event()).intentId()));
            if (ids.contains(first) || ids.contains(second)) {
                return ids.contains(first) && ids.contains(second);
            }
        }
        return false;
    }

    private static String intentId(String run, int caller, int n) {
        return "intent-" + run + "-" + caller + "-" + n;
    }

    private static Addressed intent(String run, int caller, int n) {
        String id = intentId(run, caller, n);
        return new Addressed(Topics.BATCHES, new DispatchIntended("e-" + id, 1, Instant.now(), id, Providers.OPENAI, run,
                "lane" + caller, "gpt-4o", DispatchIntended.Kind.SYNC, 0,
                List.of("g" + String.format("%032d", caller * 10 + n) + "-a1")));
    }
}
