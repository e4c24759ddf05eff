package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.Chaos;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.Pricing;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.providers.BatchCreateInDoubtException;
import io.apexaudition.providers.BatchLine;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ProviderCallException;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.ProviderClients;
import io.apexaudition.providers.SubmittedBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Dispatches one complete lane group: reconciles what a previous life left in doubt, then sends what is left
 * (a verify-first call, batches within the provider's limits, or synchronous calls). Money rule: every paid
 * call is preceded by a committed {@link DispatchIntended}; a request that has an intent is never sent again
 * unless the provider's own listing shows the intended batch does not exist. Claim checks: batches and results name
 * each body by its hash; the {@link RequestBodyStored} of every body rides in the transaction of the intent before
 * its call (and of any result naming it), so the exact body sent is durable before it is paid for.
 */
@ApplicationScoped
public class LaneDispatcher {
    private static final Logger LOG = Logger.getLogger(LaneDispatcher.class);

    private final ProviderClient provider;
    private final DispatchLedger ledger;
    private final DispatcherConfig config;
    private final ModelCatalog catalog = ModelCatalog.bundled();
    private final Clock clock = Clock.systemUTC();
    private final SyncCaller sync;
    private final InDoubtReconciler reconciler;
    /** The bodies this process stored lately: not sent again with every intent and result. */
    private final StoredBodies storedBodies = new StoredBodies(StoredBodies.DEFAULT_CAPACITY);

    @jakarta.inject.Inject
    public LaneDispatcher(ProviderClients clients, DispatchLedger ledger, DispatcherConfig config) {
        this(clients.of(config.provider()), ledger, config);
    }

    public LaneDispatcher(ProviderClient provider, DispatchLedger ledger, DispatcherConfig config) {
        this.provider = provider;
        this.ledger = ledger;
        this.config = config;
        this.sync = new SyncCaller(provider, new SyncLedger(), config.sync());
        this.reconciler = new InDoubtReconciler(provider, ledger, config, clock, new InDoubtReconciler.Conclusions() {
            @Override
            public void notCreated(DispatchIntended intent) {
                commit(List.of(LaneDispatcher.this.notCreated(intent)));
            }

            @Override
            public void unresolved(DispatchIntended intent, String message) {
                settleUnknown(intent, List.of(), message);
            }
        });
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
            // in-doubt batch intents are settled before a create, and only a batch group creates: a synchronous group
            // runs beside the intake's batch group, whose intent is in doubt to the ledger while its create is under
            // way, and would settle it NOT_CREATED if the create outlasted the listing's window (paid twice)
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
                    addResult(unknown, Prepared.of(r), GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME,
                            settlement.get().message()), null, true);
                }
                continue;
            }
            inDoubt.putIfAbsent(intentId, intent.get());
        }
        if (!unknown.isEmpty()) {
            commit(unknown);
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
                    addResult(errors, Prepared.of(r), GenerationOutcome.error(kind, message), null, false);
                }
                commit(errors);
                LOG.warnf("Lane %s of run %s: %s", first.conditionSlug(), first.runId(), message);
                return;
            }
        }
        for (List<Prepared> chunk : chunks(toBatch)) {
            submitChunk(chunk);
        }
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
            results.addAll(bodyOf(p));
            results.add(new Addressed(Topics.GENERATION_RESULTS, GenerationCompleted.dryRun(
                    GenerationCompleted.Subject.of(r, r.mode(), null, p.bodyHash()), clock.instant())));
            if (results.size() >= 1000) {
                commit(results);
                results = new ArrayList<>();
            }
        }
        commit(results);
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

    private static String intentId(GenerationRequested r, int chunk) {
        return "intent-" + EventIds.nameUuid("batch", r.runId(), r.conditionSlug(), Integer.toString(r.attempt()),
                Integer.toString(chunk));
    }

    /**
     * A request with its body's hash and the size bounds chunking needs: the body's UTF-8 bytes (the provider's
     * limits) and the bytes its entry adds to a {@link BatchSubmitted} (ids and hash, no body). The body itself is
     * not kept: a lane holds thousands of ~10 KB bodies, mostly one shared context that the requests share as one
     * instance, so each body is written again from its request when it is stored or sent ({@link #json}), one at a
     * time, and checked against the hash its entry names.
     */
    record Prepared(GenerationRequested request, String bodyHash, long fingerprint, long utf8Bytes, long entryBytes) {
        static Prepared of(GenerationRequested r) {
            String json = bodyJson(r);
            byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
            String ids = r.customId() + r.generationId() + r.conditionId() + r.conditionSlug() + r.promptId();
            return new Prepared(r, RequestBodyStored.hashOfUtf8(utf8), fingerprint(utf8), utf8Bytes(json),
                    utf8Bytes(ids) + escapes(ids) * 5 + 64 + 256L);
        }

        private static String bodyJson(GenerationRequested r) {
            return RequestBodies.json(RequestBodies.body(r));
        }

        /**
         * The body, written again from the request: the same bytes each time (RequestBodies writes keys in a fixed
         * order; its golden tests hold it to that). Checked against the fingerprint taken from the very bytes the
         * hash was taken from: a body that came out different would be stored or sent under a claim check that
         * does not name it, so it is refused instead. A fingerprint, not the SHA-256 again: the check runs twice
         * per body (stored, sent), and two more SHA-256 of a ~10 KB body were the dispatcher's largest cost.
         */
        String json() {
            String json = bodyJson(request);
            if (fingerprint(json.getBytes(StandardCharsets.UTF_8)) != fingerprint) {
                throw new IllegalStateException("the body of " + request.customId() + " came out different from the "
                        + "one its hash " + bodyHash + " names: not stored or sent under that claim check");
            }
            return json;
        }

        /** The length and the CRC-32C of a body's UTF-8 bytes: any accidental change shows (a miss is 1 in 2^32). */
        static long fingerprint(byte[] utf8) {
            CRC32C crc = new CRC32C();
            crc.update(utf8);
            return ((long) utf8.length << 32) | crc.getValue();
        }

        /** An upper bound: a char takes at most 3 UTF-8 bytes (a surrogate pair 4 for two chars). */
        private static long utf8Bytes(String text) {
            long bytes = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
            return bytes;
        }

        /** Characters JSON escapes (an escape is at most six characters for one). */
        private static long escapes(String text) {
            long escapes = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20) {
                    escapes++;
                }
            }
            return escapes;
        }

        static List<Prepared> all(List<GenerationRequested> requests) {
            return requests.stream().map(Prepared::of).toList();
        }
    }

    /**
     * Largest {@link BatchSubmitted} a chunk may make: it carries every entry's ids and body hash and must fit in one
     * Kafka record, with room for its other fields.
     */
    static final long MAX_SUBMITTED_EVENT_BYTES = Topics.MAX_MESSAGE_BYTES - 512 * 1024;

    private List<List<Prepared>> chunks(List<GenerationRequested> requests) {
        return chunks(Prepared.all(requests), config.maxBatchRequests(), config.maxBatchBytes(), MAX_SUBMITTED_EVENT_BYTES);
    }

    /**
     * Splits into batches within the provider's request and byte limits, keeping the arrival order, and small
     * enough that the chunk's {@link BatchSubmitted} (every entry's ids and hash) fits in one record.
     */
    static List<List<Prepared>> chunks(List<Prepared> requests, int maxRequests, long maxBytes, long maxEventBytes) {
        List<List<Prepared>> chunks = new ArrayList<>();
        List<Prepared> current = new ArrayList<>();
        long bytes = 0;
        long eventBytes = 0;
        for (Prepared p : requests) {
            long size = p.utf8Bytes() + 200L;
            long entry = p.entryBytes();
            if (!current.isEmpty() && (current.size() >= maxRequests || bytes + size > maxBytes
                    || eventBytes + entry > maxEventBytes)) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
                eventBytes = 0;
            }
            current.add(p);
            bytes += size;
            eventBytes += entry;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** Chunks are numbered in order; a number an earlier intent of this lane took is skipped. */
    private void submitChunk(List<Prepared> chunk) {
        submitChunk(chunk, 1);
    }

    private void submitChunk(List<Prepared> chunk, int round) {
        GenerationRequested first = chunk.get(0).request();
        int chunkNumber = 0;
        String intentId = intentId(first, chunkNumber);
        while (ledger.intent(intentId).isPresent() || ledger.settlement(intentId).isPresent()) {
            intentId = intentId(first, ++chunkNumber);
        }
        DispatchIntended intent = new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId),
                DispatchIntended.SCHEMA_VERSION, clock.instant(), intentId, config.provider(), first.runId(),
                first.conditionSlug(), first.model(), DispatchIntended.Kind.BATCH, chunkNumber,
                chunk.stream().map(p -> p.request().customId()).toList());
        // from the intent's commit until its create is recorded or settled, the intent is in doubt to the ledger but
        // this thread's to resolve: a reconciliation beside it must not read the listing the create has not reached
        // yet and settle it NOT_CREATED (its requests would go out again: paid twice)
        reconciler.createStarting(intentId);
        try {
            // the bodies go with the intent: stored before the batch that sends them can be paid for. They are handed
            // to the transaction one at a time, never held together (thousands of ~10 KB bodies)
            commitStreamed(List.of(new Addressed(Topics.BATCHES, intent)), () -> bodiesOf(chunk));
            send(intent, chunk, round);
        } finally {
            // recorded or settled by now, or left in doubt by a failed commit: then the reconciliation's to take
            reconciler.createEnded(intentId);
        }
    }

    /**
     * The paid call of a batch intent, and what becomes of it. A create with no clear answer is never settled as
     * refused and never sent again on that answer: the intent stays in doubt until the listing tells.
     */
    private void send(DispatchIntended intent, List<Prepared> chunk, int round) {
        // each body is written as the client reaches it, into the upload, and not kept
        List<BatchLine> lines = chunk.stream().map(p -> new BatchLine(p.request().customId(), p::json)).toList();
        reconciler.createAttempted(intent.intentId());
        Chaos.haltIf(Chaos.DISPATCHER_BEFORE_CREATE);
        SubmittedBatch batch;
        try {
            // a create is matched to nothing (only a listing is), so it needs no claimed batch ids
            batch = provider.submitBatch(intent.intentId(), intent.runId(), intent.occurredAt(), lines, Set.of());
        } catch (BatchCreateInDoubtException e) {
            // the provider may have acted until the moment the create gave up (retries, a long read timeout): the
            // listing's consistency window counts from then
            reconciler.createAttempted(intent.intentId());
            resolveUnclearCreate(intent, chunk, round, e);
            return;
        } catch (ProviderCallException e) {
            refuse(intent, chunk, e);
            return;
        } catch (RuntimeException e) {
            // a failure the client did not foresee (a reply it could not read): the create may have acted until now,
            // so the listing's window counts from here, or a listing read soon after could miss a batch created late
            // and conclude NOT_CREATED (paid twice). The intent stays in doubt for the reconciliation
            reconciler.createAttempted(intent.intentId());
            throw e;
        }
        Chaos.haltIf(Chaos.DISPATCHER_AFTER_SUBMIT);
        recordSubmitted(intent, batch, chunk);
    }

    /** A create without a clear answer: the listing decides, after its consistency window; never a blind resend. */
    private void resolveUnclearCreate(DispatchIntended intent, List<Prepared> chunk, int round,
                                      BatchCreateInDoubtException e) {
        LOG.warnf("Batch create of lane %s (run %s) got no clear answer (%s); asking the listing before anything "
                + "else", intent.conditionSlug(), intent.runId(), e.getMessage());
        Optional<SubmittedBatch> found;
        try {
            found = reconciler.reconcile(intent);
        } catch (InDoubtReconciler.Unresolved unresolved) {
            settleUnknown(intent, chunk.stream().map(Prepared::request).toList(), unresolved.getMessage());
            return;
        }
        if (found.isPresent()) {
            recordSubmitted(intent, found.get(), chunk);
            return;
        }
        if (round < config.maxCreateRounds()) {
            commit(List.of(notCreated(intent)));
            submitChunk(chunk, round + 1);
        } else {
            // the listing shows nothing was created: refusing is safe, and `apex retry` sends them again
            refuse(intent, chunk, new ProviderCallException(e.status(), e.kind(), e.getMessage() + " (" + round
                    + " creates got no clear answer, and none was created)"));
        }
    }

    private void refuse(DispatchIntended intent, List<Prepared> chunk, ProviderCallException e) {
        LOG.warnf("Batch of lane %s (run %s) refused: %s", intent.conditionSlug(), intent.runId(), e.getMessage());
        List<Addressed> events = new ArrayList<>();
        for (Prepared p : chunk) {
            addResult(events, p, GenerationOutcome.error(e.kind(), e.getMessage()), null, true);
        }
        events.add(settled(intent, false, e.getMessage()));
        commit(events);
    }

    /** Gives up on an intent: its generations (those at hand; the others when their group arrives) end unknown. */
    private void settleUnknown(DispatchIntended intent, List<GenerationRequested> requests, String message) {
        LOG.errorf("Intent %s (lane %s of run %s) left for a person: %s", intent.intentId(), intent.conditionSlug(),
                intent.runId(), message);
        List<Addressed> events = new ArrayList<>();
        for (GenerationRequested r : requests) {
            addResult(events, Prepared.of(r), GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, message), null, true);
        }
        events.add(settledAs(intent, message, DispatchSettled.Resolution.UNKNOWN_OUTCOME));
        commit(events);
    }

    private void recordSubmitted(DispatchIntended intent, SubmittedBatch batch, List<Prepared> chunk) {
        List<BatchEntry> entries = chunk.stream().map(p -> new BatchEntry(p.request().customId(),
                p.request().generationId(), p.request().attempt(), p.request().conditionId(),
                p.request().conditionSlug(), p.request().promptId(), p.request().promptVersion(), p.bodyHash()))
                .toList();
        BatchSubmitted submitted = new BatchSubmitted(EventIds.nameUuid("BatchSubmitted", batch.batchId()),
                BatchSubmitted.SCHEMA_VERSION, clock.instant(), batch.batchId(), config.provider(), intent.runId(),
                intent.model(), intent.intentId(), batch.inputFileId(), entries);
        // the bodies went with the intent; a batch found after a restart (or intended before claim checks) may
        // name bodies this process does not know it stored: they are stored again, harmlessly
        commitStreamed(List.of(new Addressed(Topics.BATCHES, submitted)), () -> bodiesOf(chunk));
        LOG.infof("Submitted %s batch %s: lane %s of run %s, %d requests", config.provider(), batch.batchId(),
                intent.conditionSlug(), intent.runId(), entries.size());
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
                    submitChunk(Prepared.all(requests));
                } else {
                    List<Addressed> unknown = new ArrayList<>();
                    String message = settlement.map(DispatchSettled::message).orElse("unresolved");
                    requests.forEach(r -> addResult(unknown, Prepared.of(r),
                            GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, message), null, true));
                    commit(unknown);
                }
                return;
            }
            LOG.infof("Intent %s was submitted before a crash as batch %s: recording it, not sending again",
                    intent.intentId(), existing.batchId());
            recordSubmitted(intent, existing, Prepared.all(requests));
            // forgotten only once recorded: a failed commit must not turn a known batch back into a question
            reconciler.recorded(intent.intentId());
            return;
        }
        // a synchronous call has no listing to consult: its outcome is unknown, and it is not paid for twice
        String message = "the dispatcher stopped while this synchronous call was under way; it was not sent again "
                + "to avoid paying twice. Run `apex retry " + intent.runId() + "` to send it again deliberately.";
        List<Addressed> events = new ArrayList<>();
        for (GenerationRequested r : requests) {
            addResult(events, Prepared.of(r), GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, message), null, false);
        }
        events.add(settledAs(intent, message, DispatchSettled.Resolution.UNKNOWN_OUTCOME));
        commit(events);
    }

    /** What synchronous calls write: intents, and results with their intents' settlements. */
    private final class SyncLedger implements SyncCaller.Ledger {
        @Override
        public DispatchIntended intent(GenerationRequested r, DispatchIntended.Kind kind) {
            String intentId = "intent-" + EventIds.nameUuid(kind.name(), r.customId());
            return new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId),
                    DispatchIntended.SCHEMA_VERSION, clock.instant(), intentId, config.provider(), r.runId(),
                    r.conditionSlug(), r.model(), kind, 0, List.of(r.customId()));
        }

        @Override
        public List<Addressed> intended(Prepared p, DispatchIntended intent) {
            List<Addressed> events = new ArrayList<>(bodyOf(p));
            events.add(new Addressed(Topics.BATCHES, intent));
            return events;
        }

        @Override
        public List<Addressed> outcome(Prepared p, DispatchIntended intent, GenerationOutcome outcome) {
            boolean succeeded = outcome.status() == GenerationStatus.COMPLETED;
            // a verify call that failed for a passing reason says nothing about the lane
            Addressed settlement = intent.kind() == DispatchIntended.Kind.VERIFY && !succeeded
                    && outcome.errorKind() != null && outcome.errorKind().retryable()
                    ? settledAs(intent, outcome.errorMessage(), DispatchSettled.Resolution.INCONCLUSIVE)
                    : settled(intent, succeeded, outcome.errorMessage());
            List<Addressed> events = new ArrayList<>(3);
            addResult(events, p, outcome, null, false);
            events.add(settlement);
            return events;
        }

        @Override
        public void commit(List<Addressed> events) {
            LaneDispatcher.this.commit(events);
        }

        @Override
        public void commitPaid(List<Addressed> events) {
            LaneDispatcher.this.commitPaid(events);
        }
    }

    /**
     * Commits the outcome of a call already paid for, waiting out a Kafka outage: the outcome exists only here
     * until it is committed, and giving up would turn a bought result into an unknown one. The events have
     * deterministic ids, so a commit that did land and is published again changes nothing.
     */
    private void commitPaid(List<Addressed> events) {
        long backoffMs = 500;
        while (true) {
            try {
                commit(events);
                return;
            } catch (KafkaUnavailableException e) {
                LOG.warnf("Kafka did not take a paid result (%s); trying again in %d ms", e.getMessage(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(backoffMs * 2, 15_000);
            }
        }
    }

    /**
     * Commits events in one transaction through the ledger, with the state entries they change (so the rest of this
     * lane group sees its own intents, submissions and settlements at once). A body stored already (or twice in the
     * list) is left out; the bodies are noted as stored once the commit is done.
     */
    private void commit(List<Addressed> events) {
        List<Addressed> sending = storedBodies.withoutKnown(events);
        ledger.commit(sending);
        storedBodies.committed(sending);
    }

    /**
     * Commits {@code small} and the bodies {@code bodies} hands out in one transaction, the bodies sent as they are
     * written, so a chunk's thousands are never held together. What {@link #commit} does otherwise: the bodies are
     * noted as stored once the transaction committed, and the ledger holds the entries the other events change. The supplier
     * gives a fresh pass over the bodies each time it is asked.
     */
    private void commitStreamed(List<Addressed> small, Supplier<Iterator<Addressed>> bodies) {
        List<Addressed> sending = storedBodies.withoutKnown(small);
        List<String> hashes = new ArrayList<>();
        ledger.commit(sending, () -> {
            hashes.clear();
            Iterator<Addressed> pass = bodies.get();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return pass.hasNext();
                }

                @Override
                public Addressed next() {
                    Addressed body = pass.next();
                    hashes.add(((RequestBodyStored) body.event()).bodyHash());
                    return body;
                }
            };
        });
        storedBodies.committed(sending);
        storedBodies.committedHashes(hashes);
    }

    /** The body of a request to store, unless this process stored it lately. */
    private List<Addressed> bodyOf(Prepared p) {
        return storedBodies.stored(p.bodyHash()) ? List.of() : List.of(stored(p));
    }

    private Addressed stored(Prepared p) {
        // json() has just checked the body against its hash
        return new Addressed(Topics.REQUEST_BODIES, RequestBodyStored.under(p.bodyHash(), p.json(), clock.instant()));
    }

    /** The chunk's bodies to store, each distinct one once, unless stored lately: written one at a time, as asked. */
    private Iterator<Addressed> bodiesOf(List<Prepared> chunk) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return chunk.stream()
                .filter(p -> seen.add(p.bodyHash()) && !storedBodies.stored(p.bodyHash()))
                .map(this::stored)
                .iterator();
    }

    private Addressed settled(DispatchIntended intent, boolean succeeded, String message) {
        return new Addressed(Topics.BATCHES, new DispatchSettled(EventIds.nameUuid("DispatchSettled", intent.intentId()),
                DispatchSettled.SCHEMA_VERSION, clock.instant(), intent.intentId(), intent.provider(), intent.runId(),
                succeeded, message));
    }

    private Addressed settledAs(DispatchIntended intent, String message, DispatchSettled.Resolution resolution) {
        return new Addressed(Topics.BATCHES, new DispatchSettled(EventIds.nameUuid("DispatchSettled",
                intent.intentId()), DispatchSettled.SCHEMA_VERSION, clock.instant(), intent.intentId(),
                intent.provider(), intent.runId(), false, message, resolution));
    }

    private Addressed notCreated(DispatchIntended intent) {
        return settledAs(intent, "the provider's listing, read " + config.listingConsistency().toSeconds()
                + " s or more after the create, shows no such batch: nothing was created or billed, and the requests "
                + "go out under a new intent", DispatchSettled.Resolution.NOT_CREATED);
    }

    /** A result, named by its body's hash, with that body when this process has not stored it lately. */
    private void addResult(List<Addressed> events, Prepared p, GenerationOutcome o, String batchId, boolean batch) {
        GenerationRequested r = p.request();
        BigDecimal cost = o.status() == GenerationStatus.COMPLETED
                ? catalog.model(r.model()).map(m -> Pricing.cost(catalog, m, o.usage(), batch)).orElse(null) : null;
        events.addAll(bodyOf(p));
        events.add(new Addressed(Topics.GENERATION_RESULTS, o.result(GenerationCompleted.Subject.of(r,
                batch ? RunMode.BATCH : RunMode.SYNC, batchId, p.bodyHash()), clock.instant(), cost)));
    }
}
