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
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link InDoubtReconciler} alone, against a ledger held in memory and a provider whose listing the test scripts. */
class InDoubtReconcilerTest {

    @Test
    void shouldNotConcludeAnIntentRecordedWhileTheReconciliationsAheadOfItRan() {
        // given two batch intents in doubt when the reconciliation reads the ledger: an older one a previous life left
        // (nothing listed for it), and one whose batch exists and whose lane group records it while the older one is
        // being asked about (a create under way elsewhere in this process, finished in the meantime)
        FakeProvider provider = new FakeProvider("openai", true);
        DispatchIntended older = intent("intent-older", Instant.now().minusSeconds(120));
        DispatchIntended recordedMeanwhile = intent("intent-recorded", Instant.now().minusSeconds(60));
        provider.batches.add(new FakeProvider.Created("batch_recorded", recordedMeanwhile.intentId(), 1,
                Instant.now().minusSeconds(59)));
        MemoryLedger ledger = new MemoryLedger(List.of(older, recordedMeanwhile));
        provider.onListing = id -> {
            if (id.equals(older.intentId())) {
                ledger.submitted.add(recordedMeanwhile.intentId());
            }
        };
        List<String> notCreated = new CopyOnWriteArrayList<>();
        List<String> unresolved = new CopyOnWriteArrayList<>();
        InDoubtReconciler reconciler = new InDoubtReconciler(provider, ledger,
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

        // when every intent in doubt is reconciled
        reconciler.reconcileAll();

        // then only the older one is concluded; the one recorded meanwhile is neither concluded again nor claimed
        assertThat(notCreated).containsExactly(older.intentId());
        assertThat(unresolved).isEmpty();
        assertThat(reconciler.adopted(recordedMeanwhile.intentId())).isEmpty();
    }

    private static DispatchIntended intent(String intentId, Instant at) {
        return new DispatchIntended("e-" + intentId, DispatchIntended.SCHEMA_VERSION, at, intentId, "openai", "run-1",
                "4o.t1", "gpt-4o", DispatchIntended.Kind.BATCH, 0, List.of(intentId + "-c1"));
    }

    /** The intents in doubt as first read; which of them were recorded since, as the test says. */
    private static final class MemoryLedger implements DispatchLedger {
        private final List<DispatchIntended> inDoubt;
        final Set<String> submitted = ConcurrentHashMap.newKeySet();

        MemoryLedger(List<DispatchIntended> inDoubt) {
            this.inDoubt = inDoubt;
        }

        @Override
        public Optional<DispatchIntended> intentOf(String customId) {
            return inDoubt.stream().filter(i -> i.customIds().contains(customId)).findFirst();
        }

        @Override
        public Optional<DispatchIntended> intent(String intentId) {
            return inDoubt.stream().filter(i -> i.intentId().equals(intentId)).findFirst();
        }

        @Override
        public Optional<DispatchSettled> settlement(String intentId) {
            return Optional.empty();
        }

        @Override
        public boolean isSubmitted(String intentId) {
            return submitted.contains(intentId);
        }

        @Override
        public List<DispatchIntended> inDoubtBatchIntents() {
            return inDoubt.stream().filter(i -> !submitted.contains(i.intentId())).toList();
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
