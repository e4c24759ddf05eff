package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.ModelCatalog;
import io.apexaudition.core.Pricing;
import io.apexaudition.core.RequestBodies;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.ErrorKind;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.GenerationStatus;
import io.apexaudition.events.LongTextStored;
import io.apexaudition.events.RequestBodyStored;
import io.apexaudition.events.RunMode;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.providers.GenerationOutcome;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a lane group's dispatch writes, for its three jobs (batches, synchronous calls, reconciliation): consumes the
 * events they make and produces them in transactions through the {@link DispatchLedger}, each with the bodies it names
 * ({@code RequestBodyStored}, left out when this process stored them lately). Money rule: a result already paid for is
 * committed with {@link #commitPaid}, which waits out a Kafka outage rather than lose it.
 */
final class DispatchWriter {
    private static final Logger LOG = Logger.getLogger(DispatchWriter.class);

    private final DispatchLedger ledger;
    private final DispatcherConfig config;
    private final Clock clock;
    private final ModelCatalog catalog = ModelCatalog.bundled();
    /** The bodies this process stored lately: not sent again with every intent and result. */
    private final StoredBodies storedBodies = new StoredBodies(StoredBodies.DEFAULT_CAPACITY);

    DispatchWriter(DispatchLedger ledger, DispatcherConfig config, Clock clock) {
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Commits the outcome of a call already paid for, waiting out a Kafka outage: the outcome exists only here
     * until it is committed, and giving up would turn a bought result into an unknown one. The events have
     * deterministic ids, so a commit that did land and is published again changes nothing.
     */
    void commitPaid(List<Addressed> events) {
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
    void commit(List<Addressed> events) {
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
    void commitStreamed(List<Addressed> small, Supplier<Iterator<Addressed>> bodies) {
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
                    hashes.add(body.event().key());
                    return body;
                }
            };
        });
        storedBodies.committed(sending);
        storedBodies.committedHashes(hashes);
    }

    /** The body of a request to store (with its long text), unless this process stored it lately. */
    List<Addressed> bodyOf(Prepared p) {
        return storedBodies.stored(p.bodyHash()) ? List.of() : stored(p);
    }

    /** {@link #bodyOf}, for a list that may grow as long as a lane before it is sent. */
    List<Addressed> bodyForList(Prepared p) {
        return storedBodies.stored(p.bodyHash()) ? List.of() : storedLater(p);
    }

    /**
     * A body to store, its record written already from the body's checked bytes (the largest cost per request when
     * the event wrote it, docs/benchmarks.md session 20). Its long text (the shared context) is cut out and stored on
     * its own ({@code LongTextStored}, in the same transaction unless this process stored it lately), so each body's
     * record holds only what is its own. It holds the body twice (text and record) until it is sent, so it is for a
     * body sent at once or with a window's few: a list of a lane's results takes {@link #storedLater}.
     */
    private List<Addressed> stored(Prepared p) {
        return storedEvents(p, true);
    }

    /** A body to store, written to its record only when it is sent: for lists as long as a lane. */
    private List<Addressed> storedLater(Prepared p) {
        return storedEvents(p, false);
    }

    /**
     * The body's {@code RequestBodyStored} (its long text cut out, if it has one) preceded by the text's
     * {@code LongTextStored} unless this process stored it lately; the body is written and checked once, and with
     * {@code recordNow} its record is written from those checked bytes.
     */
    private List<Addressed> storedEvents(Prepared p, boolean recordNow) {
        // body() has just checked the bytes against the hash; the event and its record come from those very bytes
        RequestBodies.Utf8Body body = p.body();
        RequestBodies.CutBody cut = body.cut();
        if (cut == null) {
            RequestBodyStored event = RequestBodyStored.under(p.bodyHash(), body.text(), now());
            return List.of(recordNow
                    ? new Addressed(Topics.REQUEST_BODIES, event, EventJson.writeBytes(event, body.escapedAgain()))
                    : new Addressed(Topics.REQUEST_BODIES, event));
        }
        RequestBodyStored event = RequestBodyStored.cut(p.bodyHash(), cut.text(), cut.longTextHash(), cut.at(), now());
        Addressed stored = recordNow
                ? new Addressed(Topics.REQUEST_BODIES, event, EventJson.writeBytes(event, cut.escapedAgain()))
                : new Addressed(Topics.REQUEST_BODIES, event);
        return storedBodies.stored(cut.longTextHash()) ? List.of(stored) : List.of(textOf(cut), stored);
    }

    private Addressed textOf(RequestBodies.CutBody cut) {
        return new Addressed(Topics.REQUEST_BODIES, LongTextStored.under(cut.longTextHash(), cut.longText(), now()));
    }

    /**
     * The chunk's bodies to store, each distinct one once (and each long text once, before the first body naming
     * it), unless stored lately: written one at a time, as asked.
     */
    Iterator<Addressed> bodiesOf(List<Prepared> chunk) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return chunk.stream()
                .filter(p -> seen.add(p.bodyHash()) && !storedBodies.stored(p.bodyHash()))
                .flatMap(p -> stored(p).stream())
                .filter(a -> !(a.event() instanceof LongTextStored) || seen.add(a.event().key()))
                .iterator();
    }

    Addressed settled(DispatchIntended intent, boolean succeeded, String message) {
        return new Addressed(Topics.BATCHES, new DispatchSettled(EventIds.nameUuid("DispatchSettled", intent.intentId()),
                DispatchSettled.SCHEMA_VERSION, now(), intent.intentId(), intent.provider(), intent.runId(),
                succeeded, message));
    }

    Addressed settledAs(DispatchIntended intent, String message, DispatchSettled.Resolution resolution) {
        return new Addressed(Topics.BATCHES, new DispatchSettled(EventIds.nameUuid("DispatchSettled",
                intent.intentId()), DispatchSettled.SCHEMA_VERSION, now(), intent.intentId(),
                intent.provider(), intent.runId(), false, message, resolution));
    }

    Addressed notCreated(DispatchIntended intent) {
        return settledAs(intent, "the provider's listing, read " + config.listingConsistency().toSeconds()
                + " s or more after the create, shows no such batch: nothing was created or billed, and the requests "
                + "go out under a new intent", DispatchSettled.Resolution.NOT_CREATED);
    }

    /** A result, named by its body's hash, with that body when this process has not stored it lately. */
    void addResult(List<Addressed> events, Prepared p, GenerationOutcome o, String batchId, boolean batch) {
        GenerationRequested r = p.request();
        BigDecimal cost = o.status() == GenerationStatus.COMPLETED
                ? catalog.model(r.model()).map(m -> Pricing.cost(catalog, m, o.usage(), batch)).orElse(null) : null;
        events.addAll(bodyForList(p));
        events.add(new Addressed(Topics.GENERATION_RESULTS, o.result(GenerationCompleted.Subject.of(r,
                batch ? RunMode.BATCH : RunMode.SYNC, batchId, p.bodyHash()), now(), cost)));
    }

    /** Gives up on an intent: its generations (those at hand; the others when their group arrives) end unknown. */
    void settleUnknown(DispatchIntended intent, List<GenerationRequested> requests, String message) {
        LOG.errorf("Intent %s (lane %s of run %s) left for a person: %s", intent.intentId(), intent.conditionSlug(),
                intent.runId(), message);
        List<Addressed> events = new ArrayList<>();
        for (GenerationRequested r : requests) {
            addResult(events, Prepared.of(r), GenerationOutcome.error(ErrorKind.UNKNOWN_OUTCOME, message), null, true);
        }
        events.add(settledAs(intent, message, DispatchSettled.Resolution.UNKNOWN_OUTCOME));
        commit(events);
    }
}
