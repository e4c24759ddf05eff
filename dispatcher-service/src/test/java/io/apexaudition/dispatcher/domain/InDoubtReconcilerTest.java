package io.apexaudition.dispatcher.domain;

import io.apexaudition.dispatcher.TestDispatcherConfig;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link InDoubtReconciler} alone, against a ledger held in memory and a provider whose listing the test scripts. */
class InDoubtReconcilerTest {

    @Test
    void shouldNotConcludeAnIntentRecordedWhileTheReconciliationsAheadOfItRan() {
        // given two batch intents in doubt when the reconciliation reads the ledger: an older one a previous life left
        // (nothing listed for it), and one whose create is under way on another thread of this process, which records
        // its batch while the older one is being asked about
        Pass pass = new Pass();
        pass.meanwhile = ledger -> ledger.submitted.add(Pass.UNDER_WAY);

        // when every intent in doubt is reconciled
        pass.run();

        // then only the older one is concluded; the one recorded meanwhile is neither concluded again nor claimed
        assertThat(pass.notCreated).containsExactly(Pass.OLDER);
        assertThat(pass.unresolved).isEmpty();
        assertThat(pass.reconciler.adopted(Pass.UNDER_WAY)).isEmpty();
        // and neither one's create time is kept: nothing of either is open here any more
        assertThat(pass.reconciler.createTimesKept()).isZero();
    }

    @Test
    void shouldNotConcludeAnIntentSettledWhileTheReconciliationsAheadOfItRan() {
        // given the same two intents, the second settled by its own thread meanwhile (its create refused)
        Pass pass = new Pass();
        pass.meanwhile = ledger -> ledger.settled.add(Pass.UNDER_WAY);

        // when every intent in doubt is reconciled
        pass.run();

        // then the settled one is left as its thread settled it: not concluded again, its listed batch not claimed
        assertThat(pass.notCreated).containsExactly(Pass.OLDER);
        assertThat(pass.unresolved).isEmpty();
        assertThat(pass.reconciler.adopted(Pass.UNDER_WAY)).isEmpty();
        // and neither one's create time is kept: nothing of either is open here any more
        assertThat(pass.reconciler.createTimesKept()).isZero();
    }

    @Test
    void shouldLeaveAnIntentWhosePartitionWentToAnotherInstanceMeanwhileToThatInstance() {
        // given the same two intents, the second one's request partition revoked from this instance meanwhile (the
        // ledger no longer holds it: its new owner restores it and reconciles it there)
        Pass pass = new Pass();
        pass.meanwhile = ledger -> ledger.gone.add(Pass.UNDER_WAY);

        // when every intent in doubt is reconciled
        pass.run();

        // then the one no longer held is not asked about, concluded or claimed here
        assertThat(pass.notCreated).containsExactly(Pass.OLDER);
        assertThat(pass.unresolved).isEmpty();
        assertThat(pass.reconciler.adopted(Pass.UNDER_WAY)).isEmpty();
        // and neither one's create time is kept: nothing of either is open here any more
        assertThat(pass.reconciler.createTimesKept()).isZero();
        assertThat(pass.listed).containsExactly(Pass.OLDER);
    }

    /**
     * One reconciliation pass over an older intent (nothing listed) and one whose create is under way (its batch
     * listed): the create's thread finishes, as {@code meanwhile} says, while the older one's listing is read.
     */
    private static final class Pass {
        static final String OLDER = "intent-older";
        static final String UNDER_WAY = "intent-under-way";
        final FakeProvider provider = new FakeProvider("openai", true);
        final MemoryLedger ledger = new MemoryLedger(List.of(intent(OLDER, Instant.now().minusSeconds(120)),
                intent(UNDER_WAY, Instant.now().minusSeconds(60))));
        final List<String> notCreated = new CopyOnWriteArrayList<>();
        final List<String> unresolved = new CopyOnWriteArrayList<>();
        /** The intents whose listing was asked for, in order. */
        final List<String> listed = new CopyOnWriteArrayList<>();
        final InDoubtReconciler reconciler = new InDoubtReconciler(provider, ledger,
                new TestDispatcherConfig("openai", "unused:9092", "unused", Duration.ZERO, Duration.ofSeconds(5), 5),
                Clock.systemUTC(), new InDoubtReconciler.Conclusions() {
                    @Override
                    public void notCreated(DispatchIntended intent) {
                        notCreated.add(intent.intentId());
                    }

                    @Override
                    public void unresolved(DispatchIntended intent, String message) {
                        unresolved.add(intent.intentId());
                    }
                });
        Consumer<MemoryLedger> meanwhile = ledger -> { };

        void run() {
            provider.batches.add(new FakeProvider.Created("batch_under_way", UNDER_WAY, 1,
                    Instant.now().minusSeconds(59)));
            reconciler.createStarting(UNDER_WAY);
            provider.onListing = id -> {
                listed.add(id);
                if (id.equals(OLDER)) {
                    // the create's thread: what it commits first, then it lets go of the intent
                    meanwhile.accept(ledger);
                    reconciler.createEnded(UNDER_WAY);
                }
            };
            reconciler.reconcileAll();
        }
    }

    private static DispatchIntended intent(String intentId, Instant at) {
        return new DispatchIntended("e-" + intentId, DispatchIntended.SCHEMA_VERSION, at, intentId, "openai", "run-1",
                "4o.t1", "gpt-4o", DispatchIntended.Kind.BATCH, 0, List.of(intentId + "-c1"));
    }

    /** The intents in doubt as first read; which of them were recorded since, as the test says. */
    private static final class MemoryLedger implements DispatchLedger {
        private final List<DispatchIntended> inDoubt;
        final Set<String> submitted = ConcurrentHashMap.newKeySet();
        final Set<String> settled = ConcurrentHashMap.newKeySet();
        /** Intents of partitions no longer this instance's: not held any more. */
        final Set<String> gone = ConcurrentHashMap.newKeySet();

        MemoryLedger(List<DispatchIntended> inDoubt) {
            this.inDoubt = inDoubt;
        }

        @Override
        public Optional<DispatchIntended> intentOf(String customId) {
            return inDoubt.stream().filter(i -> i.customIds().contains(customId)).findFirst();
        }

        @Override
        public Optional<DispatchIntended> intent(String intentId) {
            return inDoubt.stream().filter(i -> i.intentId().equals(intentId) && !gone.contains(intentId)).findFirst();
        }

        @Override
        public Optional<DispatchSettled> settlement(String intentId) {
            return settled.contains(intentId) ? Optional.of(new DispatchSettled("s-" + intentId,
                    DispatchSettled.SCHEMA_VERSION, Instant.now(), intentId, "openai", "run-1", false, "refused"))
                    : Optional.empty();
        }

        @Override
        public boolean isSubmitted(String intentId) {
            return submitted.contains(intentId);
        }

        @Override
        public List<DispatchIntended> inDoubtBatchIntents() {
            return inDoubt.stream().filter(i -> !submitted.contains(i.intentId()) && !settled.contains(i.intentId())
                    && !gone.contains(i.intentId())).toList();
        }

        @Override
        public Set<String> claimedBatchIds(Instant since) {
            return Set.of();
        }

        @Override
        public ProviderWide providerWide() {
            return new ProviderWide(inDoubtBatchIntents(), Set.of());
        }

        @Override
        public void commit(List<Addressed> events, Supplier<Iterator<Addressed>> streamed) {
            throw new UnsupportedOperationException("the reconciler commits nothing itself");
        }
    }
}
