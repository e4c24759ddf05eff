package io.apexaudition.poller.messaging;

import io.apexaudition.core.Chaos;
import io.apexaudition.core.ModelCatalog;
import io.apexaudition.events.BatchStatusChanged;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.EventIds;
import io.apexaudition.events.GenerationCompleted;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaOutage;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.poller.PollerConfig;
import io.apexaudition.poller.domain.ResultAssembler;
import io.apexaudition.providers.BatchState;
import io.apexaudition.providers.ProviderClients;
import io.apexaudition.providers.ResultLine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Polls every open batch with capped exponential backoff and produces {@code BatchStatusChanged} when a status
 * changes. When a batch ends it downloads the results and produces every {@code GenerationCompleted} together
 * with the terminal {@code BatchStatusChanged} in one Kafka transaction: a crash before the commit leaves the
 * batch open, so it is polled and retrieved again, and nothing is recorded twice or lost.
 */
@ApplicationScoped
public class BatchPollProcessor {
    private static final Logger LOG = Logger.getLogger(BatchPollProcessor.class);

    private final OpenBatches batches;
    private final ProviderClients clients;
    private final TransactionalPublisher publisher;
    private final PollerConfig config;
    private final KafkaOutage outage;
    private final ResultAssembler assembler = new ResultAssembler(ModelCatalog.bundled());
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    public BatchPollProcessor(OpenBatches batches, ProviderClients clients, TransactionalPublisher publisher,
                              PollerConfig config, KafkaOutage outage) {
        this.outage = outage;
        this.batches = batches;
        this.clients = clients;
        this.publisher = publisher;
        this.config = config;
    }

    /** When to poll a batch next, and the last status seen. */
    private record Schedule(Instant due, Duration interval, String lastStatus) {
    }

    void start(@Observes StartupEvent ignored) {
        Thread thread = new Thread(this::loop, "batch-poller");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
    }

    private void loop() {
        while (running) {
            if (batches.caughtUp()) {
                List<BatchSubmitted> open = batches.open();
                // a batch closed by its committed results (also one found after a failed transaction) needs no schedule
                schedules.keySet().retainAll(open.stream().map(BatchSubmitted::batchId)
                        .collect(java.util.stream.Collectors.toSet()));
                for (BatchSubmitted batch : open) {
                    Schedule s = schedules.computeIfAbsent(batch.batchId(),
                            id -> new Schedule(clock.instant(), config.minInterval(), "submitted"));
                    if (!clock.instant().isBefore(s.due())) {
                        pollOnce(batch, s);
                    }
                }
            }
            sleep(config.tick());
        }
    }

    void pollOnce(BatchSubmitted batch, Schedule schedule) {
        try {
            BatchState state = clients.of(batch.provider()).getBatch(batch.batchId());
            if (state.terminal()) {
                finish(batch, state);
                outage.clear();
                return;
            }
            boolean changed = !state.status().equals(schedule.lastStatus());
            if (changed) {
                publisher.publish(Topics.BATCH_STATUS, status(batch, state, false));
                outage.clear();
            }
            Duration next = changed ? config.minInterval() : min(schedule.interval().multipliedBy(2), config.maxInterval());
            schedules.put(batch.batchId(), new Schedule(clock.instant().plus(next), next, state.status()));
        } catch (KafkaUnavailableException e) {
            outage.report("publishing " + batch.provider() + " batch " + batch.batchId() + "'s events: " + e.getMessage());
            LOG.warnf("Kafka did not take %s batch %s's events (%s); re-reading the topics before trying again",
                    batch.provider(), batch.batchId(), e.getMessage());
            backOff(batch, schedule);
            settleAfterKafkaFailure();
        } catch (RuntimeException e) {
            // provider errors and anything unexpected: the batch stays open and is polled again later, never lost
            Duration next = backOff(batch, schedule);
            LOG.warnf("Polling %s batch %s failed (%s); next try in %d s", batch.provider(), batch.batchId(),
                    e.getMessage(), next.toSeconds());
        }
    }

    private Duration backOff(BatchSubmitted batch, Schedule schedule) {
        Duration next = min(schedule.interval().multipliedBy(2), config.maxInterval());
        schedules.put(batch.batchId(), new Schedule(clock.instant().plus(next), next, schedule.lastStatus()));
        return next;
    }

    /**
     * A results transaction that failed may still have committed (Kafka settles it when the new producer starts),
     * so the open batches are re-read before anything is published again: a batch whose results landed is closed
     * and is not published twice.
     */
    private void settleAfterKafkaFailure() {
        try {
            publisher.recover();
            batches.awaitCaughtUp(Duration.ofSeconds(60));
            outage.clear();
        } catch (RuntimeException e) {
            LOG.warnf("Kafka is still unavailable (%s); the poller waits for it", e.getMessage());
        }
    }

    private void finish(BatchSubmitted batch, BatchState state) {
        List<ResultLine> lines = state.failedValidation() ? List.of() : clients.of(batch.provider()).results(state);
        List<GenerationCompleted> results = assembler.assemble(batch, state, lines, clock.instant());
        List<Addressed> events = new ArrayList<>(results.size() + 1);
        results.forEach(r -> events.add(new Addressed(Topics.GENERATION_RESULTS, r)));
        events.add(new Addressed(Topics.BATCH_STATUS, status(batch, state, true)));
        publisher.publish(events, Chaos.POLLER_MID_RESULTS);
        batches.close(batch.batchId());
        schedules.remove(batch.batchId());
        long completed = results.stream().filter(r -> r.errorKind() == null).count();
        LOG.infof("%s batch %s %s: %d results (%d completed, %d errors)", batch.provider(), batch.batchId(),
                state.status(), results.size(), completed, results.size() - completed);
    }

    private BatchStatusChanged status(BatchSubmitted batch, BatchState state, boolean terminal) {
        return new BatchStatusChanged(EventIds.nameUuid("BatchStatusChanged", batch.batchId(), state.status()),
                BatchStatusChanged.SCHEMA_VERSION, clock.instant(), batch.batchId(), batch.provider(), batch.runId(),
                state.status(), terminal, state.counts(), state.message());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
