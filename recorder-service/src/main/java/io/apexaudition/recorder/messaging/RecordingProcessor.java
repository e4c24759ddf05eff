package io.apexaudition.recorder.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.EventJson;
import io.apexaudition.recorder.persistence.ProjectionRepository;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Consumes every event topic in batches and writes each batch into Postgres in one transaction. Offsets are
 * committed only after that transaction (at-least-once delivery); the writes are idempotent upserts, so a
 * redelivered batch changes nothing. While Postgres is unreachable it keeps retrying the same batch, so
 * nothing is skipped; the datasource readiness check reports the outage meanwhile.
 */
@ApplicationScoped
public class RecordingProcessor {
    private static final Logger LOG = Logger.getLogger(RecordingProcessor.class);
    private static final long MAX_BACKOFF_MS = 10_000;
    private static final Set<EventJson.Skip> SKIP = EnumSet.of(EventJson.Skip.SHARED_CONTEXT);

    private final ProjectionRepository repository;

    public RecordingProcessor(ProjectionRepository repository) {
        this.repository = repository;
    }

    @Incoming("events")
    @Blocking
    public void record(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        write(list);
    }

    /** Writes records (a consumed batch, or a slice of a replay) in one transaction, retrying while Postgres is down. */
    public void write(List<ConsumerRecord<String, byte[]>> records) throws InterruptedException {
        store(parse(records));
    }

    /** Records read as events, and those that could not be read with the reason why. */
    public record Parsed(List<ApexEvent> events, List<Unreadable> unreadable) {
        public int size() {
            return events.size() + unreadable.size();
        }
    }

    /** A record that is not an event, and why. */
    public record Unreadable(ConsumerRecord<String, byte[]> record, String reason) {
    }

    /** Reads the records as events; touches no database, so a replay can parse one slice while storing another. */
    public Parsed parse(List<ConsumerRecord<String, byte[]>> records) {
        List<ApexEvent> events = new ArrayList<>(records.size());
        List<Unreadable> unreadable = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                // the recorder stores request bodies but not the shared context each request carries (the prompt's
                // row has it): skipping it saves decoding 8.7 KB of every GenerationRequested
                events.add(EventJson.read(record.value(), SKIP));
            } catch (EventJson.UnreadableEventException e) {
                unreadable.add(new Unreadable(record, e.getMessage()));
            }
        }
        return new Parsed(events, unreadable);
    }

    /** Stores parsed records in one transaction, retrying while Postgres is down. */
    public void store(Parsed parsed) throws InterruptedException {
        List<ApexEvent> events = parsed.events();
        long backoff = 200;
        while (true) {
            try {
                repository.record(events);
                for (Unreadable u : parsed.unreadable()) {
                    ConsumerRecord<String, byte[]> r = u.record();
                    LOG.warnf("Unreadable record parked in apex_audition.dead_letters (%s-%d@%d): %s", r.topic(),
                            r.partition(), r.offset(), u.reason());
                    repository.recordUnreadable("recorder-service", r.topic(), r.partition(), r.offset(), r.key(),
                            u.reason(), r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                            java.time.Instant.ofEpochMilli(r.timestamp()));
                }
                return;
            } catch (SQLException e) {
                LOG.warnf("Postgres refused a batch of %d events (%s); retrying in %d ms. Check that the "
                        + "database is up and APEX_DB_URL points at it.", events.size(), e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }
}
