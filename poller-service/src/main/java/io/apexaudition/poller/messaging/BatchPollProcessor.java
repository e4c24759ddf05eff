package io.apexaudition.poller.messaging;

import io.apexaudition.core.Chaos;
import io.apexaudition.core.LogContext;
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
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import io.apexaudition.poller.PollerConfig;
import io.apexaudition.poller.domain.ResultAssembler;
import io.apexaudition.poller.health.PollerHealth;
import io.apexaudition.providers.BatchState;
import io.apexaudition.providers.ProviderClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Polls every open batch this instance owns ({@link OpenBatches}, fed by {@link BatchIntake} on the same thread) with
 * capped exponential backoff and produces {@code BatchStatusChanged} when a status changes. When a batch ends it
 * downloads the results and produces every {@code GenerationCompleted} together with the terminal
 * {@code BatchStatusChanged}, the batch's tombstone in {@code apex.open-batches} and the group offset of its
 * partition in one Kafka transaction: a crash before the commit leaves the batch open, so it is polled and retrieved
 * again (by this instance after a restart, or by the one that took its partition over), and nothing is recorded
 * twice or lost; an instance that lost the partition meanwhile is refused the commit (its group generation is
 * stale), so two pollers never both commit a batch's results. The results are sent
 * as they are parsed from the download, never held together: a download that breaks part-way aborts the
 * transaction, and the batch is retrieved again from scratch at its next poll.
 *
 * <p>A failure for one batch (any {@link RuntimeException}) is logged and backs off that batch only; the others
 * are polled on. An {@link Error} (out of memory, stack overflow) leaves the JVM suspect: the polling thread
 * records it in {@link PollerHealth}, which turns liveness DOWN so the platform restarts the pod, and stops.
 */
@ApplicationScoped
public class BatchPollProcessor {
    private static final Logger LOG = Logger.getLogger(BatchPollProcessor.class);

    private final OpenBatches batches;
    private final BatchIntake intake;
    private final ProviderClients clients;
    private final TransactionalPublisher publisher;
    private final PollerConfig config;
    private final KafkaOutage outage;
    private final PollerHealth health;
    private final ResultAssembler assembler = new ResultAssembler(ModelCatalog.bundled());
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    /** The loop's thread, joined on shutdown. */
    private volatile Thread thread;
    /** Longer than a round of the loop between two looks at {@code running}, short of a pod's grace period. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);
    /** What the polling thread is doing, for the report of an {@link Error} that stops it. */
    private volatile String handling = "nothing yet";
    /** The last round of the intake failed: the outage it reported ends with the next round that does not. */
    private boolean intakeFailing;

    public BatchPollProcessor(OpenBatches batches, BatchIntake intake, ProviderClients clients,
                              TransactionalPublisher publisher, PollerConfig config, KafkaOutage outage,
                              PollerHealth health) {
        this.intake = intake;
        this.outage = outage;
        this.health = health;
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
        health.watch(thread);
        this.thread = thread;
    }

    /**
     * Stops the loop and waits for it to close the intake: the close leaves the group, so another poller takes this
     * one's partitions at once. Without the wait the JVM ended first and the group held them for a session timeout
     * (seen in `apex bench`: a batch of the seed waited ~10 s after the second poller stopped).
     */
    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        health.shuttingDown();
        running = false;
        Thread loop = thread;
        if (loop != null) {
            loop.join(SHUTDOWN_WAIT.toMillis());
        }
    }

    private void loop() {
        try {
            while (running) {
                try {
                    // the group's poll is the loop's pause between rounds
                    handling = "the consumer group (assignments, restores, new submissions)";
                    intake.step(config.tick());
                    if (intakeFailing) {
                        intakeFailing = false;
                        outage.clear();
                    }
                } catch (TransactionalPublisher.PartitionsLostException e) {
                    // a rebalance under the copy: nothing committed, the owned partitions are restored next round
                    LOG.infof("Copying new submissions waited for a rebalance (%s); restoring and going on",
                            e.getMessage());
                } catch (RuntimeException e) {
                    if (!running) {
                        break; // the application shut down under the round
                    }
                    intakeFailing = true;
                    outage.report("reading and copying apex.batches: " + e.getMessage());
                    LOG.warnf("Following apex.batches failed (%s); trying again in %d ms", e, config.tick().toMillis());
                    sleep(config.tick());
                }
                try {
                    pollDue();
                } catch (RuntimeException e) {
                    // pollOnce catches what one batch throws; this is anything else, and polling goes on
                    LOG.errorf(e, "Polling the open batches failed while handling %s; going on", handling);
                }
                handling = "nothing (between polls)";
            }
            intake.close();
        } catch (Throwable e) {
            // an Error: the JVM is suspect and a retry could loop on it; report it (liveness DOWN) and stop polling
            // (should the report itself fail, PollerHealth sees the thread ended and reports that)
            health.stopped("batch-poller", e, handling);
            LOG.errorf(e, "The polling thread stopped on %s while handling %s; liveness is DOWN until a restart",
                    e, handling);
        }
    }

    private void pollDue() {
        List<BatchSubmitted> open = batches.pollable();
        // a batch closed by its committed results (also one found after a failed transaction) needs no schedule
        Set<String> openIds = open.stream().map(BatchSubmitted::batchId).collect(Collectors.toSet());
        schedules.keySet().retainAll(openIds);
        health.retain(openIds);
        for (BatchSubmitted batch : open) {
            Schedule s = schedules.computeIfAbsent(batch.batchId(),
                    id -> new Schedule(clock.instant(), config.minInterval(), "submitted"));
            if (!clock.instant().isBefore(s.due())) {
                handling = describe(batch);
                // every line about the batch (its polls, its results, its failures) names it, its run and provider
                try (LogContext ignored = LogContext.of(LogContext.RUN_ID, batch.runId(), LogContext.BATCH_ID,
                        batch.batchId(), LogContext.PROVIDER, batch.provider())) {
                    pollOnce(batch, s);
                }
            }
        }
    }

    private static String describe(BatchSubmitted batch) {
        return batch.provider() + " batch " + batch.batchId() + " of run " + batch.runId();
    }

    void pollOnce(BatchSubmitted batch, Schedule schedule) {
        try {
            BatchState state = clients.of(batch.provider()).getBatch(batch.batchId());
            if (state.terminal()) {
                finish(batch, state);
                outage.clear();
                health.succeeded(batch.batchId());
                return;
            }
            boolean changed = !state.status().equals(schedule.lastStatus());
            if (changed) {
                publisher.publish(Topics.BATCH_STATUS, status(batch, state, false));
                batches.status(batch.batchId(), batch.provider(), state.status());
                outage.clear();
            }
            Duration next = changed ? config.minInterval() : min(schedule.interval().multipliedBy(2), config.maxInterval());
            schedules.put(batch.batchId(), new Schedule(clock.instant().plus(next), next, state.status()));
            health.succeeded(batch.batchId());
        } catch (KafkaUnavailableException e) {
            outage.report("publishing " + batch.provider() + " batch " + batch.batchId() + "'s events: " + e.getMessage());
            LOG.warnf("Kafka did not take %s batch %s's events (%s); re-reading the topics before trying again",
                    batch.provider(), batch.batchId(), e.getMessage());
            backOff(batch, schedule);
            settleAfterKafkaFailure();
        } catch (RuntimeException e) {
            // provider errors and anything unexpected: the batch stays open and is polled again later, never lost
            Duration next = backOff(batch, schedule);
            health.failed(batch.batchId(), describe(batch), e);
            LOG.warnf("Polling %s failed (%s); next try in %d ms", describe(batch), e, next.toMillis());
        }
    }

    private Duration backOff(BatchSubmitted batch, Schedule schedule) {
        Duration next = min(schedule.interval().multipliedBy(2), config.maxInterval());
        schedules.put(batch.batchId(), new Schedule(clock.instant().plus(next), next, schedule.lastStatus()));
        return next;
    }

    /**
     * A results transaction that failed may still have committed (Kafka settles it when the new producer starts),
     * so the open batches are restored from Kafka before anything is published again: a batch whose results landed
     * has its tombstone there, is closed, and is not published twice.
     */
    private void settleAfterKafkaFailure() {
        try {
            publisher.recover();
            intake.resync();
            outage.clear();
        } catch (RuntimeException e) {
            LOG.warnf("Kafka is still unavailable (%s); the poller waits for it", e.getMessage());
        }
    }

    /**
     * Streams the batch's results into one transaction with its terminal status: each line becomes its
     * {@code GenerationCompleted} and is sent as it is parsed; the entries left without a line are ended after the
     * last one. If the download fails or breaks part-way, the transaction is aborted and nothing is visible.
     */
    private void finish(BatchSubmitted batch, BatchState state) {
        ResultAssembler.Assembly results = assembler.start(batch, state, clock.instant());
        int partition = batches.partitionOf(batch.batchId()).orElseThrow(() -> new IllegalStateException(
                "batch " + batch.batchId() + " is not this poller's any more"));
        // the tombstone closes the batch for whichever poller restores the partition next; the group position
        // (offset and generation) fences this poller if the partition is no longer its own
        Placed tombstone = new Placed(Topics.OPEN_BATCHES, partition, batch.batchId(), null);
        try {
            publisher.publishOwned(intake.position(partition), List.of(tombstone), send -> {
                Consumer<GenerationCompleted> result = r -> send.accept(new Addressed(Topics.GENERATION_RESULTS, r));
                if (!state.failedValidation()) {
                    clients.of(batch.provider()).results(state, line -> results.accept(line, result));
                }
                results.finish(result);
                send.accept(new Addressed(Topics.BATCH_STATUS, status(batch, state, true)));
            }, Chaos.POLLER_MID_RESULTS);
        } catch (TransactionalPublisher.PartitionsLostException e) {
            // nothing was committed; the partition is another poller's (the group's next poll revokes it here)
            LOG.warnf("%s: results not committed, the partition went to another poller (%s)", describe(batch),
                    e.getMessage());
            intake.resync();
            throw e;
        }
        batches.close(batch.batchId());
        schedules.remove(batch.batchId());
        LOG.infof("%s %s: %d results (%d completed, %d errors; %d results lines matched no request)", describe(batch),
                state.status(), results.results(), results.completed(), results.results() - results.completed(),
                results.unmatchedLines());
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
