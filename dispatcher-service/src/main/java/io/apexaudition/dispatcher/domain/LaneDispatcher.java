package io.apexaudition.dispatcher.domain;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.ProviderClients;
import io.apexaudition.providers.SubmittedBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dispatches one complete lane group: reconciles what a previous life left in doubt, then sends what is left
 * (a verify-first call, batches within the provider's limits, or synchronous calls). Money rule: every paid
 * call is preceded by a committed {@link DispatchIntended}; a request that has an intent is never sent again
 * unless the provider's own listing shows the intended batch does not exist. Claim checks: batches and results name
 * each body by its hash; the {@link io.apexaudition.events.RequestBodyStored} of every body rides in the transaction of
 * the intent before its call (and of any result naming it), so the exact body sent is durable before it is paid for.
 * Split by job: {@link BatchSubmitter} creates batches, {@link SyncCaller} makes synchronous calls,
 * {@link InDoubtReconciler} reads the listing for intents in doubt, and {@link DispatchWriter} commits what they write.
 */
@ApplicationScoped
public class LaneDispatcher {
    private static final Logger LOG = Logger.getLogger(LaneDispatcher.class);

    private final DispatchLedger ledger;
    private final DispatcherConfig config;
    private final DispatchWriter writer;
    private final SyncCaller sync;
    private final InDoubtReconciler reconciler;
    private final BatchSubmitter batches;

    @jakarta.inject.Inject
    public LaneDispatcher(ProviderClients clients, DispatchLedger ledger, DispatcherConfig config) {
        this(clients.of(config.provider()), ledger, config);
    }

    public LaneDispatcher(ProviderClient provider, DispatchLedger ledger, DispatcherConfig config) {
        Clock clock = Clock.systemUTC();
        this.ledger = ledger;
        this.config = config;
        this.writer = new DispatchWriter(ledger, config, clock);
        this.reconciler = new InDoubtReconciler(provider, ledger, config, clock, new InDoubtReconciler.Conclusions() {
            @Override
            public void notCreated(DispatchIntended intent) {
                writer.commit(List.of(writer.notCreated(intent)));
            }

            @Override
            public void unresolved(DispatchIntended intent, String message) {
                writer.settleUnknown(intent, List.of(), message);
            }
        });
        this.batches = new BatchSubmitter(provider, ledger, config, writer, reconciler);
        this.sync = new SyncCaller(provider, new SyncLedger(), config.sync());
    }

    /**
     * Dispatches a complete lane group. First every batch intent of this provider left in doubt (by a crash, or by a
     * create without a clear answer) is reconciled, whichever lane it belongs to: a new batch is never created while
     * an older one may exist unrecorded, so this instance's own Anthropic intents, matched by request count, never
     * compete for a batch (another instance's are told apart by {@link InDoubtReconciler}).
     */
    public void dispatch(LaneGroup group) {
        if (group.requests().get(0).dryRun()) {
            dryRun(group.requests());
            return;
        }
        if (group.requests().get(0).mode() != RunMode.SYNC) {
            // in-doubt batch intents are settled before a create, and only a batch group creates. A synchronous group
            // does not start by reconciling: it would wait behind reconcileAll (one at a time, sleeping on the
            // listing) for nothing it needs. A create under way beside it is guarded by the reconciler's own set of
            // creates under way, whoever reconciles; this is a second guard, not the only one
            reconciler.reconcileAll();
        }
        Map<String, GenerationRequested> byCustomId = new LinkedHashMap<>();
        group.requests().forEach(r -> byCustomId.putIfAbsent(r.customId(), r));
        List<GenerationRequested> pending = new ArrayList<>();
        Map<String, DispatchIntended> inDoubt = new LinkedHashMap<>();
        List<Addressed> unknown = new ArrayList<>();
        for (GenerationRequested r : byCustomId.values()) {
            Optional<DispatchIntended> intent = ledger.intentOf(r.customId());
            if (intent.isEmpty()) {
                pending.add(r);
                continue;
            }
            String intentId = intent.get().intentId();
            Optional<DispatchSettled> settlement = ledger.settlement(intentId);
            if (ledger.isSubmitted(intentId)) {
                continue;
            }
            if (settlement.isPresent()) {
                DispatchSettled.Resolution resolution = settlement.get().resolution();
                if (resolution == DispatchSettled.Resolution.NOT_CREATED) {
                    pending.add(r);
                } else if (resolution == DispatchSettled.Resolution.UNKNOWN_OUTCOME
                        && intent.get().kind() == DispatchIntended.Kind.BATCH) {
                    // settled while its group was elsewhere: its results are written now (again, harmlessly)
                    writer.addResult(unknown, Prepared.of(r), GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME,
                            settlement.get().message()), null, true);
                }
                continue;
            }
            inDoubt.putIfAbsent(intentId, intent.get());
        }
        if (!unknown.isEmpty()) {
            writer.commit(unknown);
        }
        for (DispatchIntended intent : inDoubt.values()) {
            resolveInDoubt(intent, byCustomId);
        }
        if (pending.isEmpty()) {
            return;
        }
        GenerationRequested first = pending.get(0);
        if (first.mode() == RunMode.SYNC) {
            sync.callAll(pending);
            return;
        }
        List<GenerationRequested> toBatch = pending;
        if (first.verifyFirst()) {
            Optional<DispatchSettled> verified = previousVerification(group);
            boolean passed;
            boolean conclusive;
            String failure = null;
            if (verified.isPresent()) {
                passed = verified.get().succeeded();
                conclusive = verified.get().resolution() == null;
                failure = verified.get().message();
            } else {
                GenerationOutcome outcome = sync.callOne(first, DispatchIntended.Kind.VERIFY);
                passed = outcome.status() == GenerationStatus.COMPLETED;
                conclusive = passed || outcome.errorKind() == null || !outcome.errorKind().retryable();
                failure = outcome.errorMessage();
                toBatch = pending.subList(1, pending.size());
            }
            if (!passed) {
                // a verify call that crashed or failed for a passing reason says nothing about the lane: its other
                // generations stay retryable; one the provider refused outright condemns the lane
                ErrorKind kind = conclusive ? ErrorKind.VERIFY_FAILED : ErrorKind.VERIFY_INCONCLUSIVE;
                String message = "verify-first request " + (conclusive ? "failed" : "was inconclusive")
                        + ", so no batch was submitted for lane " + first.conditionSlug() + ": " + failure
                        + (conclusive ? "" : ". Run `apex retry " + first.runId() + "` to send them");
                List<Addressed> errors = new ArrayList<>();
                for (GenerationRequested r : toBatch) {
                    writer.addResult(errors, Prepared.of(r), GenerationOutcome.error(kind, message), null, false);
                }
                writer.commit(errors);
                LOG.warnf("Lane %s of run %s: %s", first.conditionSlug(), first.runId(), message);
                return;
            }
        }
        batches.submitAll(toBatch);
    }

    /**
     * A dry run calls nothing: each generation is recorded with the exact body that would have been sent (stored
     * once, named by hash). No money is involved, so a redelivery simply records the same results again (the
     * writes are idempotent).
     */
    private void dryRun(List<GenerationRequested> requests) {
        List<Addressed> results = new ArrayList<>();
        for (GenerationRequested r : requests) {
            Prepared p = Prepared.of(r);
            results.addAll(writer.bodyForList(p));
            results.add(new Addressed(Topics.GENERATION_RESULTS, GenerationCompleted.dryRun(
                    GenerationCompleted.Subject.of(r, r.mode(), null, p.bodyHash()), writer.now())));
            if (results.size() >= 1000) {
                writer.commit(results);
                results = new ArrayList<>();
            }
        }
        writer.commit(results);
    }

    /** A verify call a previous life made for this group, already settled. */
    private Optional<DispatchSettled> previousVerification(LaneGroup group) {
        for (GenerationRequested r : group.requests()) {
            Optional<DispatchIntended> intent = ledger.intentOf(r.customId());
            if (intent.isPresent() && intent.get().kind() == DispatchIntended.Kind.VERIFY) {
                return ledger.settlement(intent.get().intentId());
            }
        }
        return Optional.empty();
    }

    /** An intent a previous life wrote but never saw through. */
    private void resolveInDoubt(DispatchIntended intent, Map<String, GenerationRequested> byCustomId) {
        List<GenerationRequested> requests = intent.customIds().stream().map(byCustomId::get)
                .filter(java.util.Objects::nonNull).toList();
        if (intent.kind() == DispatchIntended.Kind.BATCH) {
            SubmittedBatch existing = reconciler.adopted(intent.intentId()).orElse(null);
            if (existing == null) {
                // came into doubt after the reconciliation ran (restored, or a create since): reconcile it now
                reconciler.reconcileAll();
                existing = reconciler.adopted(intent.intentId()).orElse(null);
            }
            if (existing == null) {
                Optional<DispatchSettled> settlement = ledger.settlement(intent.intentId());
                if (settlement.isPresent() && settlement.get().resolution() == DispatchSettled.Resolution.NOT_CREATED) {
                    batches.submitChunk(Prepared.all(requests));
                } else {
                    List<Addressed> unknown = new ArrayList<>();
                    String message = settlement.map(DispatchSettled::message).orElse("unresolved");
                    requests.forEach(r -> writer.addResult(unknown, Prepared.of(r),
                            GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, message), null, true));
                    writer.commit(unknown);
                }
                return;
            }
            LOG.infof("Intent %s was submitted before a crash as batch %s: recording it, not sending again",
                    intent.intentId(), existing.batchId());
            batches.recordSubmitted(intent, existing, Prepared.all(requests));
            // forgotten only once recorded: a failed commit must not turn a known batch back into a question
            reconciler.recorded(intent.intentId());
            return;
        }
        // a synchronous call has no listing to consult: its outcome is unknown, and it is not paid for twice
        String message = "the dispatcher stopped while this synchronous call was under way; it was not sent again "
                + "to avoid paying twice. Run `apex retry " + intent.runId() + "` to send it again deliberately.";
        List<Addressed> events = new ArrayList<>();
        for (GenerationRequested r : requests) {
            writer.addResult(events, Prepared.of(r), GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, message), null,
                    false);
        }
        events.add(writer.settledAs(intent, message, DispatchSettled.Resolution.UNKNOWN_OUTCOME));
        writer.commit(events);
    }

    /** What synchronous calls write: intents, and results with their intents' settlements. */
    private final class SyncLedger implements SyncCaller.Ledger {
        @Override
        public DispatchIntended intent(GenerationRequested r, DispatchIntended.Kind kind) {
            String intentId = "intent-" + EventIds.nameUuid(kind.name(), r.customId());
            return new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId),
                    DispatchIntended.SCHEMA_VERSION, writer.now(), intentId, config.provider(), r.runId(),
                    r.conditionSlug(), r.model(), kind, 0, List.of(r.customId()));
        }

        @Override
        public List<Addressed> intended(Prepared p, DispatchIntended intent) {
            List<Addressed> events = new ArrayList<>(writer.bodyOf(p));
            events.add(new Addressed(Topics.BATCHES, intent));
            return events;
        }

        @Override
        public List<Addressed> outcome(Prepared p, DispatchIntended intent, GenerationOutcome outcome) {
            boolean succeeded = outcome.status() == GenerationStatus.COMPLETED;
            // a verify call that failed for a passing reason says nothing about the lane
            Addressed settlement = intent.kind() == DispatchIntended.Kind.VERIFY && !succeeded
                    && outcome.errorKind() != null && outcome.errorKind().retryable()
                    ? writer.settledAs(intent, outcome.errorMessage(), DispatchSettled.Resolution.INCONCLUSIVE)
                    : writer.settled(intent, succeeded, outcome.errorMessage());
            List<Addressed> events = new ArrayList<>(3);
            writer.addResult(events, p, outcome, null, false);
            events.add(settlement);
            return events;
        }

        @Override
        public void commit(List<Addressed> events) {
            writer.commit(events);
        }

        @Override
        public void commitPaid(List<Addressed> events) {
            writer.commitPaid(events);
        }
    }
}
