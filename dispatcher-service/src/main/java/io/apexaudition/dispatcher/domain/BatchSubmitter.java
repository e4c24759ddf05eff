package io.apexaudition.dispatcher.domain;

import io.apexaudition.core.Chaos;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.BatchEntry;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.providers.BatchCreateInDoubtException;
import io.apexaudition.providers.BatchLine;
import io.apexaudition.providers.GenerationOutcome;
import io.apexaudition.providers.ProviderCallException;
import io.apexaudition.providers.ProviderClient;
import io.apexaudition.providers.SubmittedBatch;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Consumes the pending requests of a batch lane group; produces its batches: each chunk within the provider's limits
 * gets a committed {@link DispatchIntended} (with the bodies it sends) before its create, then a
 * {@link BatchSubmitted}, a refusal, or a create left in doubt for the listing to decide. Money rule: a create without
 * a clear answer is never sent again on that answer; it goes out again, under a new intent, only once a listing read
 * the consistency window after the create shows no batch ({@link InDoubtReconciler}).
 */
final class BatchSubmitter {
    private static final Logger LOG = Logger.getLogger(BatchSubmitter.class);

    private final ProviderClient provider;
    private final DispatchLedger ledger;
    private final DispatcherConfig config;
    private final DispatchWriter writer;
    private final InDoubtReconciler reconciler;

    BatchSubmitter(ProviderClient provider, DispatchLedger ledger, DispatcherConfig config, DispatchWriter writer,
                   InDoubtReconciler reconciler) {
        this.provider = provider;
        this.ledger = ledger;
        this.config = config;
        this.writer = writer;
        this.reconciler = reconciler;
    }

    /** Sends the requests as batches, chunk after chunk. */
    void submitAll(List<GenerationRequested> requests) {
        for (List<Prepared> chunk : chunks(requests)) {
            submitChunk(chunk);
        }
    }

    private static String intentId(GenerationRequested r, int chunk) {
        return "intent-" + EventIds.nameUuid("batch", r.runId(), r.conditionSlug(), Integer.toString(r.attempt()),
                Integer.toString(chunk));
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
    void submitChunk(List<Prepared> chunk) {
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
                DispatchIntended.SCHEMA_VERSION, writer.now(), intentId, config.provider(), first.runId(),
                first.conditionSlug(), first.model(), DispatchIntended.Kind.BATCH, chunkNumber,
                chunk.stream().map(p -> p.request().customId()).toList());
        // from the intent's commit until its create is recorded or settled, the intent is in doubt to the ledger but
        // this thread's to resolve: a reconciliation beside it must not read the listing the create has not reached
        // yet and settle it NOT_CREATED (its requests would go out again: paid twice)
        reconciler.createStarting(intentId);
        try {
            // the bodies go with the intent: stored before the batch that sends them can be paid for. They are handed
            // to the transaction one at a time, never held together (thousands of ~10 KB bodies)
            writer.commitStreamed(List.of(new Addressed(Topics.BATCHES, intent)), () -> writer.bodiesOf(chunk));
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
        List<BatchLine> lines = chunk.stream().map(p -> new BatchLine(p.request().customId(), p::utf8)).toList();
        Chaos.haltIf(Chaos.DISPATCHER_BEFORE_CREATE);
        SubmittedBatch batch;
        try {
            try {
                // a create is matched to nothing (only a listing is), so it needs no claimed batch ids
                batch = provider.submitBatch(intent.intentId(), intent.runId(), intent.occurredAt(), lines, Set.of());
            } finally {
                // however the create ended (an answer, no clear answer after retries and a long read timeout, a reply
                // the client could not read), the provider may have acted until then: the listing's consistency
                // window counts from here, or a listing read soon after could miss a batch created late and conclude
                // NOT_CREATED (paid twice)
                reconciler.createAttempted(intent.intentId());
            }
        } catch (BatchCreateInDoubtException e) {
            resolveUnclearCreate(intent, chunk, round, e);
            return;
        } catch (ProviderCallException e) {
            refuse(intent, chunk, e);
            return;
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
            writer.settleUnknown(intent, chunk.stream().map(Prepared::request).toList(), unresolved.getMessage());
            return;
        }
        if (found.isPresent()) {
            recordSubmitted(intent, found.get(), chunk);
            return;
        }
        if (round < config.maxCreateRounds()) {
            writer.commit(List.of(writer.notCreated(intent)));
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
            writer.addResult(events, p, GenerationOutcome.error(e.kind(), e.getMessage()), null, true);
        }
        events.add(writer.settled(intent, false, e.getMessage()));
        writer.commit(events);
    }


    void recordSubmitted(DispatchIntended intent, SubmittedBatch batch, List<Prepared> chunk) {
        List<BatchEntry> entries = chunk.stream().map(p -> new BatchEntry(p.request().customId(),
                p.request().generationId(), p.request().attempt(), p.request().conditionId(),
                p.request().conditionSlug(), p.request().promptId(), p.request().promptVersion(), p.bodyHash()))
                .toList();
        BatchSubmitted submitted = new BatchSubmitted(EventIds.nameUuid("BatchSubmitted", batch.batchId()),
                BatchSubmitted.SCHEMA_VERSION, writer.now(), batch.batchId(), config.provider(), intent.runId(),
                intent.model(), intent.intentId(), batch.inputFileId(), entries);
        // the bodies went with the intent; a batch found after a restart (or intended before claim checks) may
        // name bodies this process does not know it stored: they are stored again, harmlessly
        writer.commitStreamed(List.of(new Addressed(Topics.BATCHES, submitted)), () -> writer.bodiesOf(chunk));
        LOG.infof("Submitted %s batch %s: lane %s of run %s, %d requests", config.provider(), batch.batchId(),
                intent.conditionSlug(), intent.runId(), entries.size());
    }
}
