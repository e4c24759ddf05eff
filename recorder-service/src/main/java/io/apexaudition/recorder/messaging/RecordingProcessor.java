package io.apexaudition.recorder.messaging;

import io.apexaudition.core.LogContext;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.recorder.health.RecordingProgress;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.apexaudition.recorder.persistence.RebuildFold;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consumes every event topic in batches and writes each batch into Postgres in one transaction. Offsets are
 * committed only after that transaction (at-least-once delivery); the writes are idempotent upserts, so a
 * redelivered batch changes nothing. While Postgres is unreachable it keeps retrying the same batch, so
 * nothing is skipped, and {@link RecordingProgress} tells readiness which batch is stuck. A record Postgres
 * refuses for its content (SQLState classes 22 and 23: no retry can change the answer) is parked in
 * {@code apex_audition.dead_letters} with the refusal, and the rest of the batch is written.
 */
@ApplicationScoped
public class RecordingProcessor {
    private static final Logger LOG = Logger.getLogger(RecordingProcessor.class);
    private static final long MAX_BACKOFF_MS = 10_000;
    private static final Set<EventJson.Skip> SKIP = EnumSet.of(EventJson.Skip.SHARED_CONTEXT);
    private static final String CONSUMER = "recorder-service";

    private final ProjectionRepository repository;
    private final RecordingProgress progress;
    private final RecorderMetrics metrics;

    public RecordingProcessor(ProjectionRepository repository, RecordingProgress progress, RecorderMetrics metrics) {
        this.repository = repository;
        this.progress = progress;
        this.metrics = metrics;
    }

    @Incoming("events")
    @Blocking
    public void record(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        for (Parsed parsed : slices(list)) {
            store(parsed);
            // counted here, after the live consumer stored them, and not in store(): a rebuild replays what was counted
            metrics.stored(parsed.events().stream().map(Read::event).toList());
        }
    }

    /**
     * Writes records (a consumed batch, or a slice of a replay), a transaction per slice ({@link #slices}),
     * retrying while Postgres is down.
     */
    public void write(List<ConsumerRecord<String, byte[]>> records) throws InterruptedException {
        for (Parsed parsed : slices(records)) {
            store(parsed);
        }
    }

    /**
     * Events per slice, at most, give or take a record (a record is never split). A poll of 500 records was 500 events
     * when each request was a record; a lane group's part is up to 1,000 requests, so one poll can hold the requests
     * of a whole audition, and parsed and written at once they filled the recorder's heap (full collections 12-13 ->
     * 21 over two auditions, docs/benchmarks.md, session 25).
     */
    static final int MAX_EVENTS_PER_SLICE = 2_000;

    /**
     * The records read as events a slice at a time, each cut after the record that brings it to
     * {@link #MAX_EVENTS_PER_SLICE} events, a slice parsed only when it is asked for, so that only one slice's events
     * are held at once; it touches no database, so a replay can parse one slice while storing another. A consumed
     * batch's offset is committed once every slice of it is stored (the upserts are idempotent, so a batch stored in
     * part before a crash is stored again whole).
     */
    public Iterable<Parsed> slices(List<ConsumerRecord<String, byte[]>> records) {
        return () -> new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < records.size();
            }

            @Override
            public Parsed next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                List<Read> events = new ArrayList<>();
                List<Unreadable> unreadable = new ArrayList<>();
                while (next < records.size() && events.size() + unreadable.size() < MAX_EVENTS_PER_SLICE) {
                    parseInto(records.get(next++), events, unreadable);
                }
                return new Parsed(events, unreadable);
            }
        };
    }

    /** Records read as events, and those that could not be read with the reason why. */
    public record Parsed(List<Read> events, List<Unreadable> unreadable) {
        public int size() {
            return events.size() + unreadable.size();
        }

        /** Where the slice starts, for a message about it. */
        String firstPosition() {
            ConsumerRecord<String, byte[]> first = !events.isEmpty() ? events.get(0).record()
                    : unreadable.isEmpty() ? null : unreadable.get(0).record();
            return first == null ? "nothing" : first.topic() + "-" + first.partition() + "@" + first.offset();
        }
    }

    /** An event and the record it came from (to park the record if Postgres refuses the event). */
    public record Read(ApexEvent event, ConsumerRecord<String, byte[]> record) {
    }

    /** A record that is not an event, and why. */
    public record Unreadable(ConsumerRecord<String, byte[]> record, String reason) {
    }

    private static void parseInto(ConsumerRecord<String, byte[]> record, List<Read> events,
                                  List<Unreadable> unreadable) {
        try {
            // the recorder stores request bodies but not the shared context a judge request carries (the prompt's
            // row has it): skipping it saves decoding kilobytes of every such request
            ApexEvent event = EventJson.read(record.value(), SKIP);
            if (event instanceof LaneGroupRequested part) {
                // a lane group's requests are recorded one generation row each, as a single request's is; each
                // names this record, so a request Postgres refuses parks the record it came in
                for (GenerationRequested request : part.requests()) {
                    events.add(new Read(request, record));
                }
            } else {
                events.add(new Read(event, record));
            }
        } catch (EventJson.UnreadableEventException e) {
            unreadable.add(new Unreadable(record, e.getMessage()));
        }
    }

    /** Stores parsed records, retrying while Postgres is down; a record refused for its content is parked. */
    public void store(Parsed parsed) throws InterruptedException {
        store(parsed, null);
    }

    /**
     * Stores a slice of a rebuild as {@link #store} does, its generation rows staged for the rebuild's fold
     * ({@link ProjectionRepository#replay}): the same tables once the fold is written, fewer statements and row versions.
     */
    public void replay(Parsed parsed, RebuildFold fold) throws InterruptedException {
        store(parsed, fold);
    }

    private void store(Parsed parsed, RebuildFold replay) throws InterruptedException {
        long backoff = 200;
        int failures = 0;
        while (true) {
            try {
                storeOnce(parsed, replay);
                progress.stored();
                return;
            } catch (SQLException e) {
                failures++;
                progress.failed(parsed.firstPosition(), parsed.size(), e, failures);
                LOG.warnf("Postgres did not take %d records from %s (%s, SQLState %s; failure %d); retrying in %d ms. "
                                + "Check that the database is up and APEX_DB_URL points at it.", parsed.size(),
                        parsed.firstPosition(), e.getMessage(), e.getSQLState(), failures, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void storeOnce(Parsed parsed, RebuildFold replay) throws SQLException {
        try {
            List<ApexEvent> events = parsed.events().stream().map(Read::event).toList();
            if (replay != null) {
                repository.replay(events, replay);
            } else {
                repository.record(events);
            }
        } catch (SQLException | RuntimeException e) {
            if (!refusedForContent(e)) {
                throw (SQLException) e;
            }
            // the refusal does not say which record: write them one at a time (the upserts are idempotent, so the
            // ones written again change nothing) and park only those refused, a record once (a lane group's record
            // carries many requests), naming the requests of it that were refused
            Map<ConsumerRecord<String, byte[]>, List<String>> refused = new LinkedHashMap<>();
            Map<ConsumerRecord<String, byte[]>, ApexEvent> firstRefused = new LinkedHashMap<>();
            for (Read read : parsed.events()) {
                try {
                    repository.record(List.of(read.event()));
                } catch (SQLException | RuntimeException one) {
                    if (!refusedForContent(one)) {
                        throw (SQLException) one;
                    }
                    String what = read.event() instanceof GenerationRequested r
                            ? "GenerationRequested " + r.generationId() : read.event().getClass().getSimpleName();
                    refused.computeIfAbsent(read.record(), r -> new ArrayList<>()).add(what + " (" + describe(one)
                            + ")");
                    firstRefused.putIfAbsent(read.record(), read.event());
                    LOG.debugf("Postgres refused %s: %s", what, describe(one));
                }
            }
            for (Map.Entry<ConsumerRecord<String, byte[]>, List<String>> r : refused.entrySet()) {
                List<String> reasons = r.getValue();
                try (LogContext ignored = LogContext.about(firstRefused.get(r.getKey()))) {
                    park(r.getKey(), "Postgres refused " + (reasons.size() == 1 ? "this " + reasons.get(0)
                            : reasons.size() + " events of this record: " + String.join("; ", reasons.subList(0,
                            Math.min(5, reasons.size()))) + (reasons.size() > 5 ? "; ..." : "")) + " for its "
                            + "content; it is parked and the rest is recorded. Fix whatever wrote it (its text or ids "
                            + "must be storable in Postgres) and publish a corrected record if it matters");
                }
            }
        }
        for (Unreadable u : parsed.unreadable()) {
            park(u.record(), u.reason());
        }
    }

    private void park(ConsumerRecord<String, byte[]> r, String reason) throws SQLException {
        LOG.warnf("Record parked in apex_audition.dead_letters (%s-%d@%d): %s", r.topic(), r.partition(), r.offset(),
                reason);
        repository.recordUnreadable(CONSUMER, r.topic(), r.partition(), r.offset(), r.key(), reason,
                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                Instant.ofEpochMilli(r.timestamp()));
        metrics.parked(r.topic());
    }

    /**
     * Whether no retry can change the answer: SQLState class 22 (data exception: a NUL in text, a number out of
     * range, malformed JSON for a jsonb column) or 23 (integrity constraint), or a failure mapping the event itself.
     * Anything else (a connection that fails, a pool that times out) is an outage, waited out.
     */
    static boolean refusedForContent(Exception e) {
        if (e instanceof RuntimeException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
            if (t instanceof SQLException sql) {
                SQLException next = sql.getNextException();
                if (next != null && next != t && next.getSQLState() != null
                        && (next.getSQLState().startsWith("22") || next.getSQLState().startsWith("23"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(Exception e) {
        if (e instanceof SQLException sql) {
            SQLException cause = sql.getNextException() != null ? sql.getNextException() : sql;
            return "SQLState " + cause.getSQLState() + ": " + cause.getMessage();
        }
        return e.toString();
    }
}
