package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.Chaos;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.Pricing;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.dispatcher.messaging.IntentRegistry;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.TransactionalPublisher;
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
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.events.Usage;
import io.apexaudition.providers.BatchLine;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ProviderCallException;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.ProviderClients;
import io.apexaudition.providers.SubmittedBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Dispatches one complete lane group: reconciles what a previous life left in doubt, then sends what is left
 * (a verify-first call, batches within the provider's limits, or synchronous calls). Money rule: every paid
 * call is preceded by a committed {@link DispatchIntended}; a request that has an intent is never sent again
 * unless the provider's own listing shows the intended batch does not exist.
 */
@ApplicationScoped
public class LaneDispatcher {
    private static final Logger LOG = Logger.getLogger(LaneDispatcher.class);

    private final ProviderClient provider;
    private final TransactionalPublisher publisher;
    private final IntentRegistry registry;
    private final DispatcherConfig config;
    private final ModelCatalog catalog = ModelCatalog.bundled();
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService syncPool;

    public LaneDispatcher(ProviderClients clients, TransactionalPublisher publisher, IntentRegistry registry,
                          DispatcherConfig config) {
        this.provider = clients.of(config.provider());
        this.publisher = publisher;
        this.registry = registry;
        this.config = config;
        this.syncPool = Executors.newFixedThreadPool(config.syncConcurrency());
    }

    public void dispatch(LaneGroup group) {
        if (group.requests().get(0).dryRun()) {
            dryRun(group.requests());
            return;
        }
        Map<String, GenerationRequested> byCustomId = new LinkedHashMap<>();
        group.requests().forEach(r -> byCustomId.putIfAbsent(r.customId(), r));
        List<GenerationRequested> pending = new ArrayList<>();
        Map<String, DispatchIntended> inDoubt = new LinkedHashMap<>();
        for (GenerationRequested r : byCustomId.values()) {
            Optional<DispatchIntended> intent = registry.intentOf(r.customId());
            if (intent.isEmpty()) {
                pending.add(r);
            } else if (!registry.isSubmitted(intent.get().intentId()) && !registry.isSettled(intent.get().intentId())) {
                inDoubt.putIfAbsent(intent.get().intentId(), intent.get());
            }
        }
        for (DispatchIntended intent : inDoubt.values()) {
            resolveInDoubt(intent, byCustomId);
        }
        if (pending.isEmpty()) {
            return;
        }
        GenerationRequested first = pending.get(0);
        if (first.mode() == RunMode.SYNC) {
            callEach(pending);
            return;
        }
        List<GenerationRequested> toBatch = pending;
        if (first.verifyFirst()) {
            Optional<DispatchSettled> verified = previousVerification(group);
            boolean passed;
            String failure = null;
            if (verified.isPresent()) {
                passed = verified.get().succeeded();
                failure = verified.get().message();
            } else {
                GenerationOutcome outcome = callOne(first, DispatchIntended.Kind.VERIFY);
                passed = outcome.status() == GenerationStatus.COMPLETED;
                failure = outcome.errorMessage();
                toBatch = pending.subList(1, pending.size());
            }
            if (!passed) {
                String message = "verify-first request failed, so no batch was submitted for lane "
                        + first.conditionSlug() + ": " + failure;
                List<Addressed> errors = new ArrayList<>();
                for (GenerationRequested r : toBatch) {
                    errors.add(result(r, GenerationOutcome.error(ErrorKind.VERIFY_FAILED, message), null, false));
                }
                publisher.publish(errors);
                LOG.warnf("Lane %s of run %s: %s", first.conditionSlug(), first.runId(), message);
                return;
            }
        }
        for (List<Prepared> chunk : chunks(toBatch)) {
            submitChunk(chunk);
        }
    }

    /**
     * A dry run calls nothing: each generation is recorded with the exact body that would have been sent. No
     * money is involved, so a redelivery simply records the same results again (the writes are idempotent).
     */
    private void dryRun(List<GenerationRequested> requests) {
        List<Addressed> results = new ArrayList<>();
        for (GenerationRequested r : requests) {
            String body = RequestBodies.json(RequestBodies.body(r));
            results.add(new Addressed(Topics.GENERATION_RESULTS, new GenerationCompleted(
                    EventIds.nameUuid("GenerationCompleted", r.generationId(), Integer.toString(r.attempt())),
                    GenerationCompleted.SCHEMA_VERSION, clock.instant(), r.runId(), r.generationId(), r.attempt(),
                    r.conditionId(), r.conditionSlug(), r.promptId(), r.promptVersion(), r.provider(), r.model(),
                    r.mode(), null, r.customId(), GenerationStatus.DRY_RUN, null, null, Usage.NONE, false, null, null,
                    null, body)));
            if (results.size() == 1000) {
                publisher.publish(results);
                results = new ArrayList<>();
            }
        }
        publisher.publish(results);
    }

    /** A verify call a previous life made for this group, already settled. */
    private Optional<DispatchSettled> previousVerification(LaneGroup group) {
        for (GenerationRequested r : group.requests()) {
            Optional<DispatchIntended> intent = registry.intentOf(r.customId());
            if (intent.isPresent() && intent.get().kind() == DispatchIntended.Kind.VERIFY) {
                return registry.settlement(intent.get().intentId());
            }
        }
        return Optional.empty();
    }

    private static String intentId(GenerationRequested r, int chunk) {
        return "intent-" + EventIds.nameUuid("batch", r.runId(), r.conditionSlug(), Integer.toString(r.attempt()),
                Integer.toString(chunk));
    }

    /**
     * A request with its body, built once: sent as built and recorded as sent. The body is kept only as its JSON
     * (a lane holds thousands), with the size bounds chunking needs.
     */
    record Prepared(GenerationRequested request, String json, long utf8Bytes, long escapes) {
        static Prepared of(GenerationRequested r) {
            String json = RequestBodies.json(RequestBodies.body(r));
            // one pass, upper bounds: a char takes at most 3 UTF-8 bytes (a surrogate pair 4 for two chars)
            long bytes = 0;
            long escapes = 0;
            for (int i = 0; i < json.length(); i++) {
                char c = json.charAt(i);
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                if (c == '"' || c == '\\' || c < 0x20) {
                    escapes++;
                }
            }
            return new Prepared(r, json, bytes, escapes);
        }

        static List<Prepared> all(List<GenerationRequested> requests) {
            return requests.stream().map(Prepared::of).toList();
        }
    }

    /**
     * Largest {@link BatchSubmitted} a chunk may make: it carries every body as sent and must fit in one Kafka
     * record, with room for its other fields.
     */
    static final long MAX_SUBMITTED_EVENT_BYTES = Topics.MAX_MESSAGE_BYTES - 512 * 1024;

    private List<List<Prepared>> chunks(List<GenerationRequested> requests) {
        return chunks(Prepared.all(requests), config.maxBatchRequests(), config.maxBatchBytes(), MAX_SUBMITTED_EVENT_BYTES);
    }

    /**
     * Splits into batches within the provider's request and byte limits, keeping the arrival order, and small
     * enough that the chunk's {@link BatchSubmitted} (every body, escaped as a JSON string) fits in one record.
     */
    static List<List<Prepared>> chunks(List<Prepared> requests, int maxRequests, long maxBytes, long maxEventBytes) {
        List<List<Prepared>> chunks = new ArrayList<>();
        List<Prepared> current = new ArrayList<>();
        long bytes = 0;
        long eventBytes = 0;
        for (Prepared p : requests) {
            long size = p.utf8Bytes() + 200L;
            long entry = entryBytes(p);
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

    /** An upper bound of the bytes a request adds to its BatchSubmitted: its ids and its body as a JSON string. */
    static long entryBytes(Prepared p) {
        return p.utf8Bytes() + p.escapes() * 5 + 512L; // an escape is at most six characters for one
    }

    /** Chunks are numbered in order; a number an earlier intent of this lane took is skipped. */
    private void submitChunk(List<Prepared> chunk) {
        GenerationRequested first = chunk.get(0).request();
        int chunkNumber = 0;
        String intentId = intentId(first, chunkNumber);
        while (registry.intent(intentId).isPresent()) {
            intentId = intentId(first, ++chunkNumber);
        }
        DispatchIntended intent = new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId),
                DispatchIntended.SCHEMA_VERSION, clock.instant(), intentId, config.provider(), first.runId(),
                first.conditionSlug(), first.model(), DispatchIntended.Kind.BATCH, chunkNumber,
                chunk.stream().map(p -> p.request().customId()).toList());
        commit(List.of(new Addressed(Topics.BATCHES, intent)));
        send(intent, chunk);
    }

    /** The paid call of a batch intent, and what becomes of it. */
    private void send(DispatchIntended intent, List<Prepared> chunk) {
        List<BatchLine> lines = chunk.stream().map(p -> new BatchLine(p.request().customId(), p.json())).toList();
        try {
            SubmittedBatch batch = provider.submitBatch(intent.intentId(), intent.runId(), intent.occurredAt(), lines,
                    registry.claimedBatchIds());
            Chaos.haltIf(Chaos.DISPATCHER_AFTER_SUBMIT);
            recordSubmitted(intent, batch, chunk);
        } catch (ProviderCallException e) {
            LOG.warnf("Batch of lane %s (run %s) refused: %s", intent.conditionSlug(), intent.runId(), e.getMessage());
            List<Addressed> events = new ArrayList<>();
            for (Prepared p : chunk) {
                events.add(result(p.request(), GenerationOutcome.error(e.kind(), e.getMessage()), null, true));
            }
            events.add(settled(intent, false, e.getMessage()));
            commit(events);
        }
    }

    private void recordSubmitted(DispatchIntended intent, SubmittedBatch batch, List<Prepared> chunk) {
        List<BatchEntry> entries = chunk.stream().map(p -> new BatchEntry(p.request().customId(),
                p.request().generationId(), p.request().attempt(), p.request().conditionId(),
                p.request().conditionSlug(), p.request().promptId(), p.json())).toList();
        BatchSubmitted submitted = new BatchSubmitted(EventIds.nameUuid("BatchSubmitted", batch.batchId()),
                BatchSubmitted.SCHEMA_VERSION, clock.instant(), batch.batchId(), config.provider(), intent.runId(),
                intent.model(), intent.intentId(), batch.inputFileId(), entries);
        commit(List.of(new Addressed(Topics.BATCHES, submitted)));
        LOG.infof("Submitted %s batch %s: lane %s of run %s, %d requests", config.provider(), batch.batchId(),
                intent.conditionSlug(), intent.runId(), entries.size());
    }

    /** An intent a previous life wrote but never saw through. */
    private void resolveInDoubt(DispatchIntended intent, Map<String, GenerationRequested> byCustomId) {
        List<GenerationRequested> requests = intent.customIds().stream().map(byCustomId::get)
                .filter(java.util.Objects::nonNull).toList();
        if (intent.kind() == DispatchIntended.Kind.BATCH) {
            Optional<SubmittedBatch> existing = provider.findByIntent(intent.intentId(), intent.occurredAt(),
                    intent.customIds().size(), registry.claimedBatchIds());
            if (existing.isPresent()) {
                LOG.infof("Intent %s was submitted before a crash as batch %s: recording it, not sending again",
                        intent.intentId(), existing.get().batchId());
                recordSubmitted(intent, existing.get(), Prepared.all(requests));
            } else {
                LOG.infof("Intent %s never reached the provider: sending it now", intent.intentId());
                send(intent, Prepared.all(requests));
            }
            return;
        }
        // a synchronous call has no listing to consult: its outcome is unknown, and it is not paid for twice
        String message = "the dispatcher stopped while this synchronous call was under way; it was not sent again "
                + "to avoid paying twice. Run `apex retry " + intent.runId() + "` to send it again deliberately.";
        List<Addressed> events = new ArrayList<>();
        for (GenerationRequested r : requests) {
            events.add(result(r, GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, message), null, false));
        }
        events.add(settled(intent, false, message));
        commit(events);
    }

    /**
     * Calls every request and returns only when no call of this group is still running, even when one failed: a
     * caller that tries the group again must not race a call still under way, or it could pay for it twice.
     */
    private void callEach(List<GenerationRequested> requests) {
        List<Future<?>> calls = new ArrayList<>();
        for (GenerationRequested r : requests) {
            calls.add(syncPool.submit(() -> callOne(r, DispatchIntended.Kind.SYNC)));
        }
        RuntimeException first = null;
        for (Future<?> call : calls) {
            try {
                call.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while calling " + config.provider(), e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("a synchronous call failed: " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Intent, call, then the result and the intent's settlement in one transaction. */
    private GenerationOutcome callOne(GenerationRequested r, DispatchIntended.Kind kind) {
        String intentId = "intent-" + EventIds.nameUuid(kind.name(), r.customId());
        DispatchIntended intent = new DispatchIntended(EventIds.nameUuid("DispatchIntended", intentId),
                DispatchIntended.SCHEMA_VERSION, clock.instant(), intentId, config.provider(), r.runId(),
                r.conditionSlug(), r.model(), kind, 0, List.of(r.customId()));
        commit(List.of(new Addressed(Topics.BATCHES, intent)));
        GenerationOutcome outcome;
        try {
            outcome = provider.call(RequestBodies.body(r));
        } catch (ProviderCallException e) {
            outcome = GenerationOutcome.error(e.kind(), e.getMessage());
        }
        commitPaid(List.of(result(r, outcome, null, false), settled(intent,
                outcome.status() == GenerationStatus.COMPLETED, outcome.errorMessage())));
        return outcome;
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
     * Commits events in one transaction and tells the registry at once, so the rest of this lane group already
     * sees its own intents, submissions and settlements (the registry's tail would see them only later).
     */
    private void commit(List<Addressed> events) {
        publisher.publish(events);
        events.forEach(a -> registry.remember(a.event()));
    }

    private Addressed settled(DispatchIntended intent, boolean succeeded, String message) {
        return new Addressed(Topics.BATCHES, new DispatchSettled(EventIds.nameUuid("DispatchSettled", intent.intentId()),
                DispatchSettled.SCHEMA_VERSION, clock.instant(), intent.intentId(), intent.provider(), intent.runId(),
                succeeded, message));
    }

    private Addressed result(GenerationRequested r, GenerationOutcome o, String batchId, boolean batch) {
        BigDecimal cost = o.status() == GenerationStatus.COMPLETED
                ? catalog.model(r.model()).map(m -> Pricing.cost(catalog, m, o.usage(), batch)).orElse(null) : null;
        return new Addressed(Topics.GENERATION_RESULTS, new GenerationCompleted(
                EventIds.nameUuid("GenerationCompleted", r.generationId(), Integer.toString(r.attempt())),
                GenerationCompleted.SCHEMA_VERSION, clock.instant(), r.runId(), r.generationId(), r.attempt(),
                r.conditionId(), r.conditionSlug(), r.promptId(), r.promptVersion(), r.provider(), r.model(),
                batch ? RunMode.BATCH : RunMode.SYNC, batchId, r.customId(), o.status(), o.text(), o.finishReason(),
                o.usage() == null ? Usage.NONE : o.usage(), o.cacheHit(), cost, o.errorKind(), o.errorMessage(),
                RequestBodies.json(RequestBodies.body(r))));
    }
}
