package io.apexaudition.poller.messaging;

import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.messaging.ParkedRecords;
import io.apexaudition.messaging.TopicTail;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Topics;
import io.apexaudition.poller.PollerConfig;
import io.apexaudition.poller.domain.BatchRecordChecks;
import io.apexaudition.poller.health.PollerHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The batches to poll, kept durably by deriving them from the topics: every {@code BatchSubmitted} of
 * {@code apex.batches} without a terminal {@code BatchStatusChanged} on {@code apex.batch-status}. Read from the
 * first offset at start (committed records only) and tailed afterwards, so a restart resumes every open batch.
 * Produces the gauge {@value #OPEN_GAUGE} (open batches by provider and the provider's last non-terminal status) and
 * counts what it parks.
 */
@ApplicationScoped
public class OpenBatches {
    private static final Logger LOG = Logger.getLogger(OpenBatches.class);
    /** Prometheus: apex_batches_open. */
    static final String OPEN_GAUGE = "apex.batches.open";
    /** The state of an open batch before the provider reported any status. */
    private static final String SUBMITTED = "submitted";

    private final PollerConfig config;
    private final TransactionalPublisher publisher;
    private final PollerHealth health;
    private final Map<String, BatchSubmitted> open = new ConcurrentHashMap<>();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    /** The last non-terminal status of each open batch that has one. */
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private volatile TopicTail tail;

    public OpenBatches(PollerConfig config, TransactionalPublisher publisher, PollerHealth health,
                       MeterRegistry meters) {
        this.config = config;
        this.publisher = publisher;
        this.health = health;
        this.meters = meters;
    }

    void start(@Observes StartupEvent ignored) {
        tail = new TopicTail("open-batches", config.bootstrapServers(),
                List.of(Topics.BATCHES.name(), Topics.BATCH_STATUS.name()), this::apply).start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (tail != null) {
            tail.close();
        }
    }

    /**
     * Follows one record; never throws for a record's sake: one the poller cannot use (unreadable, or readable but
     * lacking what the poller needs) is parked in {@code apex.dead-letters} with the reason, and the tail goes on
     * with the next. An {@link Error} stops the tail (the JVM is suspect) and is reported to liveness first.
     */
    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            String reason;
            try {
                // batches name their bodies by hash (apex.request-bodies holds them): nothing bulky to skip here
                ApexEvent event = EventJson.read(r.value(), Set.of());
                List<String> problems = BatchRecordChecks.problems(event);
                if (problems.isEmpty()) {
                    follow(event);
                    return;
                }
                reason = "incomplete " + event.getClass().getSimpleName() + ": " + String.join(", ", problems)
                        + "; the poller cannot follow it. Fix the producer that wrote it (the dispatchers write "
                        + "complete records); if it stands for a real batch, `apex poll --batch-id ID --provider P "
                        + "--auto-retrieve` records that batch's results";
            } catch (EventJson.UnreadableEventException e) {
                reason = e.getMessage();
            } catch (RuntimeException e) {
                reason = "the poller could not follow it (" + e + "); fix the producer that wrote it";
            }
            park(r, reason);
        } catch (Error e) {
            health.stopped("open-batches", e, "record " + r.topic() + "-" + r.partition() + "@" + r.offset());
            throw e;
        }
    }

    private void follow(ApexEvent event) {
        if (event instanceof BatchSubmitted b && !closed.contains(b.batchId())) {
            open.putIfAbsent(b.batchId(), b);
            gauge(b.provider(), states.getOrDefault(b.batchId(), SUBMITTED));
        } else if (event instanceof BatchStatusChanged s && s.terminal()) {
            close(s.batchId());
        } else if (event instanceof BatchStatusChanged s && !closed.contains(s.batchId())) {
            states.put(s.batchId(), s.status());
            gauge(s.provider(), s.status());
        }
    }

    /**
     * Registers the gauge of one provider and state (once: Micrometer returns the one it has), read at every scrape.
     * States are the providers' own few words, so the series stay few; one whose batches all moved on reads 0.
     */
    private void gauge(String provider, String state) {
        Gauge.builder(OPEN_GAUGE, this, batches -> batches.count(provider, state))
                .description("Open batches (submitted, no terminal status yet) by provider and last status")
                .tags("provider", provider, "state", state).register(meters);
    }

    private double count(String provider, String state) {
        return open.values().stream().filter(b -> provider.equals(b.provider())
                && state.equals(states.getOrDefault(b.batchId(), SUBMITTED))).count();
    }

    private void park(ConsumerRecord<String, byte[]> r, String reason) {
        LOG.warnf("Record %s-%d@%d parked in apex.dead-letters: %s", r.topic(), r.partition(), r.offset(), reason);
        // the id is the record's position, so re-reading the topic after a restart parks it only once
        publisher.publish(Topics.DEAD_LETTERS, DeadLettered.parked("poller-service", r.topic(), r.partition(),
                r.offset(), r.key(), reason, EventJson.echo(r.value()), Instant.ofEpochMilli(r.timestamp())));
        ParkedRecords.count(meters, "poller-service", r.topic());
    }

    /** A batch whose results and terminal status were committed. */
    public void close(String batchId) {
        closed.add(batchId);
        open.remove(batchId);
        states.remove(batchId);
    }

    public List<BatchSubmitted> open() {
        return List.copyOf(open.values());
    }

    /** Blocks until everything committed to the topics so far has been read (after a failed transaction). */
    public void awaitCaughtUp(java.time.Duration timeout) {
        tail.awaitCaughtUp(timeout);
    }

    /** Whether the topics have been read up to where they were at start. */
    public boolean caughtUp() {
        return tail != null && tail.caughtUpAtStart();
    }

}
