package io.apexaudition.dispatcher.messaging;

import io.apexaudition.core.LogContext;
import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.dispatcher.domain.LaneDispatcher;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.DeadLettered;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.Providers;
import io.apexaudition.events.TopicSpec;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaOutage;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.OwnedPartitionsConsumer;
import io.apexaudition.messaging.ParkedRecords;
import io.apexaudition.messaging.PartitionReader;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dispatcher as a member of the consumer group {@code apex-dispatcher-<provider>} on its provider's request topic
 * (architecture.md, "Dispatcher state"): consumes {@code GenerationRequested}, gathers them per lane group (run, lane,
 * attempt) and hands each complete group to {@link LaneDispatcher}, on this consumer's own thread; produces, through
 * {@link OwnedLaneStates}, every transaction of a dispatch with the group's state entry and the partition's offset,
 * and parks in {@code apex.dead-letters} what cannot be dispatched (unreadable, another provider's, a run the planner
 * never accepted, a prompt version never ingested). For each partition the group gives it, it restores the lane groups'
 * entries from the same partition of {@code apex.dispatch-state.<provider>} before reading a record of it; a partition
 * that has no state yet is derived once from history ({@link LegacyDispatchState}).
 *
 * <p>Money rule: the offset never passes a record of a lane group that is still gathering or under way, and an entry is
 * tombstoned only in the transaction whose offset passes all its records, so every record that can be delivered again
 * finds the entry that says what became of it; an instance whose partition went elsewhere has every transaction
 * refused (KIP-447), and the new owner restores only once those are settled. A dispatch runs between two polls, so a
 * partition is never revoked while its lane group is under way ({@code max.poll.interval.ms} is set above the longest
 * dispatch; past it the instance leaves the group and its next transaction is refused).
 */
@ApplicationScoped
public class RequestIntake {
    private static final Logger LOG = Logger.getLogger(RequestIntake.class);
    private static final Duration RESTORE_TIMEOUT = OwnedPartitionsConsumer.RESTORE_TIMEOUT;
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration UNKNOWN_RUN_GRACE = Duration.ofSeconds(5);

    private final DispatcherConfig config;
    private final TransactionalPublisher publisher;
    private final OwnedLaneStates states;
    private final AcceptedRuns runs;
    private final PromptCatalog prompts;
    private final LaneDispatcher dispatcher;
    private final KafkaOutage outage;
    private final MeterRegistry meters;
    private final String provider;
    private final TopicSpec requestTopic;
    private final TopicSpec stateTopic;
    private final Clock clock = Clock.systemUTC();

    /** The instance's member of the group: the request partitions it owns, each restored before it is read. */
    private final OwnedPartitionsConsumer<RequestDeserializer.DecodedRequest> member;
    /**
     * Lane groups gathering their requests. The partition of each is its records' (a lane group never spans two),
     * which that partition's offsets know while it gathers.
     */
    private final Map<String, LaneGroup> gathering = new HashMap<>();
    /** Partitions whose state could not be read at their last restore: not consumed, so nothing is paid twice. */
    private final Map<Integer, String> blocked = new ConcurrentHashMap<>();
    private volatile boolean restoredOnce;
    private volatile boolean running;
    /** Lane groups completed in this round, dispatched together at its end (synchronous ones side by side). */
    private final List<Completed> completed = new ArrayList<>();
    private final java.util.concurrent.ExecutorService lanes;

    private record Completed(LaneGroup group, int partition, long offset, GenerationRequested request) {
        boolean synchronous() {
            return request.mode() == io.apexaudition.events.RunMode.SYNC && !request.dryRun();
        }
    }
    private volatile String failure;
    /** Why the intake thread stopped for good (an {@link Error}), or null while it works or stops on purpose. */
    private volatile String stopped;
    private volatile Thread thread;

    public RequestIntake(DispatcherConfig config, TransactionalPublisher publisher, OwnedLaneStates states,
                         AcceptedRuns runs, PromptCatalog prompts, LaneDispatcher dispatcher, KafkaOutage outage,
                         MeterRegistry meters) {
        if (!Providers.ALL.contains(config.provider())) {
            throw new IllegalArgumentException("apex.dispatcher.provider is '" + config.provider()
                    + "': set APEX_DISPATCHER_PROVIDER to one of " + Providers.ALL);
        }
        this.config = config;
        this.publisher = publisher;
        this.states = states;
        this.runs = runs;
        this.prompts = prompts;
        this.dispatcher = dispatcher;
        this.outage = outage;
        this.meters = meters;
        this.provider = config.provider();
        this.requestTopic = Topics.generationRequests(provider);
        this.stateTopic = Topics.dispatchState(provider);
        this.lanes = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, config.sync().laneGroups()), r -> {
            Thread t = new Thread(r, "apex-dispatch-lane");
            t.setDaemon(true);
            return t;
        });
        this.member = new OwnedPartitionsConsumer<>(new OwnedPartitionsConsumer.Membership("dispatcher",
                "dispatch state", "lane groups", config.bootstrapServers(), config.groupId(),
                config.transactionalId(), requestTopic.name(),
                // a dispatch runs between two polls: synchronous calls of a whole lane, or a reconciliation that may
                // wait out the in-doubt timeout; the group waits that long before it takes the partitions away
                config.inDoubtTimeout().plus(config.maxDispatch()), Map.of()),
                new RequestDeserializer(), new Partitions(), publisher, meters);
    }

    void start(@Observes StartupEvent ignored) {
        running = true;
        thread = new Thread(this::run, "apex-dispatcher-intake");
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        member.wakeup();
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** Whether every partition given so far was restored, and none is blocked (readiness). */
    public boolean ready() {
        return stoppedBecause() == null && restoredOnce && member.allRestored() && blocked.isEmpty();
    }

    /**
     * Why the intake thread stopped for good, for the liveness check; null while it works (or the service stops).
     * A thread that ended without saying why (its report could fail too, out of memory) counts as stopped all the
     * same: nothing else would dispatch this instance's partitions until a restart.
     */
    public String stoppedBecause() {
        String reported = stopped;
        if (reported != null) {
            return reported;
        }
        Thread t = thread;
        // TERMINATED, not "not alive": a thread assigned but not yet started is not stopped; and the state before
        // `running`, so that a probe racing a normal stop does not count the stop as a death
        return t != null && t.getState() == Thread.State.TERMINATED && running
                ? t.getName() + " ended without a report; restart the dispatcher" : null;
    }

    /** Why the intake is not ready, for the readiness check; null when it is. */
    public String notReadyBecause() {
        String dead = stoppedBecause();
        if (dead != null) {
            return dead;
        }
        if (!blocked.isEmpty()) {
            return String.join("; ", blocked.values());
        }
        if (!restoredOnce) {
            return failure != null ? "restoring the dispatch state failed: " + failure
                    : "waiting for the consumer group " + config.groupId() + " to assign request partitions and for "
                    + "their state to be restored";
        }
        Set<TopicPartition> pending = member.pending();
        return pending.isEmpty() ? null : "restoring the dispatch state of " + pending;
    }

    /**
     * Polls, restores, gathers and dispatches until the service stops; a failure is waited out, an {@link Error} stops
     * it for good (see {@link #stoppedBecause()}).
     */
    private void run() {
        long backoffMs = 500;
        try {
            while (running) {
                try {
                    step();
                    outage.clear();
                    failure = null;
                    backoffMs = 500;
                } catch (WakeupException e) {
                    break;
                } catch (TransactionalPublisher.PartitionsLostException e) {
                    LOG.warnf("%s; the lane groups of those partitions are another dispatcher's now, and this one "
                            + "restores what it still owns", e.getMessage());
                    resync();
                } catch (RuntimeException e) {
                    if (KafkaUnavailableException.isOutage(e)) {
                        outage.report("dispatching: " + e.getMessage());
                        LOG.warnf("Kafka is unavailable (%s); waiting for it. Nothing is sent twice: the owned "
                                + "partitions are restored from what Kafka committed before anything goes on. Check "
                                + "the broker at KAFKA_BOOTSTRAP_SERVERS.", e.getMessage());
                    } else {
                        failure = e.toString();
                        LOG.errorf(e, "Dispatching failed (%s); the owned partitions are restored from what Kafka "
                                + "committed and their lane groups dispatched again from there (nothing is sent "
                                + "twice). If it repeats, the log above names the lane group", e.getMessage());
                    }
                    sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 15_000);
                    resync();
                }
            }
        } catch (Error e) {
            // not waited out like a failure: the JVM may be in no state to go on (out of memory, a stack overflow).
            // Liveness goes DOWN so the platform restarts the pod; until then no partition of this instance is
            // dispatched, and nothing is lost: a restart restores its lane groups from what Kafka committed
            stopped = Thread.currentThread().getName() + " stopped on " + e + "; restart the dispatcher (on "
                    + "Kubernetes its liveness probe does): its lane groups are restored from what Kafka committed and "
                    + "nothing is sent twice";
            LOG.errorf(e, "The dispatcher's intake stopped on %s: no lane group is dispatched until the dispatcher "
                    + "restarts (liveness is DOWN). Nothing is sent twice: a restart restores what Kafka committed", e);
            // logged and recorded: the thread ends here rather than hand the error to the default handler
        } finally {
            close();
        }
    }

    /**
     * One round: polls the group (which may assign or revoke partitions), restores what was assigned, gathers the
     * records and dispatches each lane group as it completes, then commits the offsets that moved.
     */
    void step() {
        if (!member.joined()) {
            // the metadata as of the last poll, read there by the lanes' threads: the consumer is not theirs to touch
            states.fencedBy(member::groupMetadata);
        }
        // a partition the group assigns in this poll is restored before any record of it is read
        ConsumerRecords<String, RequestDeserializer.DecodedRequest> records = member.poll(Duration.ofMillis(500));
        try {
            for (ConsumerRecord<String, RequestDeserializer.DecodedRequest> r : records) {
                take(r);
            }
            dispatchCompleted();
        } finally {
            completed.clear();
        }
        states.commitOffsets();
    }

    /**
     * A record's requests join their lane group (dispatched once complete), or the record, or a request of it, is
     * parked with the reason. A lane group's part brings many requests at one offset, an older planner's record one.
     */
    private void take(ConsumerRecord<String, RequestDeserializer.DecodedRequest> r) {
        var offsets = states.offsets(r.partition());
        if (offsets == null) {
            // the partition went elsewhere in this poll: its records are the new owner's
            return;
        }
        String refusal = refusal(r.value(), provider);
        if (refusal != null) {
            park(r, refusal, null);
            offsets.read(r.offset());
            return;
        }
        GenerationRequested first = r.value().request();
        if (!gathering.containsKey(LaneGroup.key(first.runId(), first.conditionSlug(), first.attempt()))
                && !acceptedAfterCatchingUp(first.runId())) {
            // only the planner's requests are paid for: anything else on this topic would spend money unasked. A
            // record's requests share their run, so the record is parked once
            try (LogContext ignored = logContext(first)) {
                park(r, "request for run '" + first.runId() + "', which the planner never accepted: requests are "
                        + "honoured only when the planner emits them; publish a RunRequested to "
                        + Topics.RUN_COMMANDS.name() + " instead", first);
            }
            offsets.read(r.offset());
            return;
        }
        Set<String> unknown = new java.util.LinkedHashSet<>();
        GenerationRequested named = null;
        for (GenerationRequested request : r.value().requests()) {
            // the catalog is read to its end once per record, at its first unknown version, not once per request
            // naming one (each catch-up asks the broker for the end offsets: a part of a thousand unknown prompts
            // held the intake for minutes)
            GenerationRequested resolved = prompts.resolve(request, unknown.isEmpty() ? Duration.ofSeconds(60)
                    : Duration.ZERO).orElse(null);
            if (resolved == null) {
                unknown.add("'" + request.promptId() + "' version " + request.promptVersion());
                named = named == null ? request : named;
            } else {
                take(r, resolved, offsets);
            }
        }
        if (!unknown.isEmpty()) {
            // parked once per record, naming every prompt version it lacks: its lane group waits for them
            park(r, "requests name prompt versions that are not in " + Topics.PROMPTS.name()
                    + " (" + String.join(", ", unknown.stream().limit(5).toList())
                    + (unknown.size() > 5 ? ", ..." : "") + "): ingest them (apex prompts ingest) and run again; the "
                    + "planner never names a version it has not published", named);
            offsets.read(r.offset());
        }
    }

    private void take(ConsumerRecord<String, RequestDeserializer.DecodedRequest> r, GenerationRequested request,
                      io.apexaudition.dispatcher.domain.PartitionOffsets offsets) {
        String key = LaneGroup.key(request.runId(), request.conditionSlug(), request.attempt());
        Completed done = completed.stream().filter(c -> c.group().key().equals(key)).findFirst().orElse(null);
        if (done != null && done.partition() == r.partition() && done.offset() == r.offset()) {
            // another request of the very record that completed the group (a lane group's part delivered again after
            // its group was seen through completes it with its first request): it joins that group, not yet
            // dispatched, instead of a dispatch of its own for each request of the part
            done.group().add(request);
            offsets.arrived(key, r.offset());
            return;
        }
        if (done != null) {
            // a record of a lane group completed in this round (redelivered, or a retry under the same attempt): the
            // group is dispatched first, so its entry says what it saw through and no two dispatches share a group
            dispatchCompleted();
        }
        LaneGroup group = gathering.get(key);
        if (group == null) {
            if (!acceptedAfterCatchingUp(request.runId())) {
                // only the planner's requests are paid for: anything else on this topic would spend money unasked
                try (LogContext ignored = logContext(request)) {
                    park(r, "request for run '" + request.runId() + "', which the planner never accepted: requests "
                            + "are honoured only when the planner emits them; publish a RunRequested to "
                            + Topics.RUN_COMMANDS.name() + " instead", request);
                }
                offsets.read(r.offset());
                return;
            }
            group = new LaneGroup(key, request.laneGenerations(), states.finished(key));
            gathering.put(key, group);
        }
        group.add(request);
        offsets.arrived(key, r.offset());
        if (group.complete()) {
            gathering.remove(key);
            completed.add(new Completed(group, r.partition(), r.offset(), request));
        }
    }

    /**
     * Dispatches the lane groups completed so far in this round and returns once every one has ended: synchronous
     * ones side by side on the lanes' threads (their calls are paced per model by the shared limiters, so lanes of
     * different models overlap), the others one after another on this thread (batch creates stay serial: an
     * Anthropic batch in doubt is matched by count). Nothing of the partitions is revoked meanwhile: the group is
     * polled only after. A failure is thrown once every other dispatch has ended, so a group tried again never races
     * a call still under way.
     */
    private void dispatchCompleted() {
        List<Completed> round = List.copyOf(completed);
        completed.clear();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        // an Error too waits for the lane groups under way: their paid results must be committed before the intake
        // stops and leaves the group, or they would be refused and end unknown
        Throwable failure = null;
        try {
            for (Completed c : round) {
                if (c.synchronous() && round.stream().filter(Completed::synchronous).count() > 1) {
                    running.add(lanes.submit(() -> dispatch(c.group(), c.partition(), c.request())));
                }
            }
            for (Completed c : round) {
                if (!(c.synchronous() && round.stream().filter(Completed::synchronous).count() > 1)) {
                    dispatch(c.group(), c.partition(), c.request());
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (java.util.concurrent.Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error && !(failure instanceof Error)) {
                    // an Error on a lane's thread stops the intake as it would on the intake's own thread
                    failure = cause;
                } else if (failure == null) {
                    failure = cause instanceof RuntimeException re ? re
                            : new IllegalStateException("dispatching a lane group failed: " + cause, cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while lane groups were dispatched", e);
            }
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }

    private void dispatch(LaneGroup group, int partition, GenerationRequested request) {
        states.dispatching(group.key(), partition);
        try (LogContext ignored = logContext(request)) {
            dispatcher.dispatch(group);
            states.dispatchEnded();
        } catch (RuntimeException | Error e) {
            // the group stays unfinished: its records are read again from the committed offset after a restore (and
            // a lane's pooled thread carries no note of it into its next lane group)
            states.dispatching(null, -1);
            throw e;
        }
    }

    /** Every line logged about a lane group names its run, lane, attempt and provider. */
    private LogContext logContext(GenerationRequested request) {
        return LogContext.of(LogContext.RUN_ID, request.runId(), LogContext.LANE, request.conditionSlug(),
                LogContext.ATTEMPT, request.attempt(), LogContext.PROVIDER, provider);
    }

    /**
     * Why a decoded record cannot be dispatched by this provider's dispatcher (then it is parked), or null: it is a
     * complete request for this provider. Checked before the request joins a lane group, so a record that could
     * never be sent fails nothing else and costs nothing.
     */
    static String refusal(RequestDeserializer.DecodedRequest decoded, String provider) {
        GenerationRequested request = decoded == null ? null : decoded.request();
        if (request == null) {
            return decoded == null ? "empty record: expected a JSON object of GenerationRequested" : decoded.problem();
        }
        if (!provider.equals(request.provider())) {
            return "request for provider '" + request.provider() + "' on the " + provider
                    + " dispatcher's topic: the planner routes by provider; publish it to "
                    + Topics.generationRequests(Providers.ALL.contains(request.provider()) ? request.provider()
                    : provider).name();
        }
        // a complete request of this provider always yields a body (EventChecks requires what RequestBodies reads;
        // the provider is the only thing it can refuse): building it here too would do the hot path's work twice,
        // and RequestPropertyTest holds that every request admitted here builds
        return null;
    }

    /**
     * Whether the planner accepted the run, once apex.runs is read to its end. The planner commits RunAccepted in the
     * same transaction as the requests, but the broker writes the commit markers partition by partition, so the
     * request can become readable a moment before its RunAccepted does: an unknown run is looked up again for a few
     * seconds before its request is judged poison.
     */
    private boolean acceptedAfterCatchingUp(String runId) {
        if (runs.isAccepted(runId)) {
            // the usual case: the tail read the RunAccepted already, and a catch-up would cost a consumer of its own
            // (connect, metadata, end offsets) on this thread for every lane group
            return true;
        }
        long deadline = System.nanoTime() + UNKNOWN_RUN_GRACE.toNanos();
        while (true) {
            runs.awaitCaughtUp(Duration.ofSeconds(60));
            if (runs.isAccepted(runId) || System.nanoTime() > deadline) {
                return runs.isAccepted(runId);
            }
            sleep(200);
        }
    }

    private void park(ConsumerRecord<String, RequestDeserializer.DecodedRequest> r, String reason,
                      GenerationRequested request) {
        LOG.warnf("Request parked in apex.dead-letters (%s-%d@%d): %s", r.topic(), r.partition(), r.offset(), reason);
        RequestDeserializer.DecodedRequest decoded = r.value();
        String echo = decoded == null ? null : decoded.echo() != null ? decoded.echo()
                : EventJson.echo(EventJson.write(request != null ? request : decoded.request()));
        // its id is the record's position: parked again after a crash, it is stored once
        publisher.publish(Topics.DEAD_LETTERS, DeadLettered.parked("dispatcher-" + provider, r.topic(), r.partition(),
                r.offset(), r.key(), reason, echo, clock.instant()));
        ParkedRecords.count(meters, "dispatcher-" + provider, r.topic());
    }

    /**
     * Restores every owned partition again (after a transaction that failed or may have committed): what Kafka holds
     * is the truth, so the lane groups gathered and the entries held are dropped and read anew before the next poll.
     */
    private void resync() {
        gathering.clear();
        if (!member.joined()) {
            return;
        }
        try {
            publisher.recover();
        } catch (RuntimeException e) {
            LOG.debugf("publisher not renewed yet (%s): the next round tries again", e.getMessage());
        }
        states.disowned(member.restoreAgain());
    }

    /** What this dispatcher holds per request partition: the lane groups' entries and offsets, and those gathering. */
    private final class Partitions implements OwnedPartitionsConsumer.Owner {
        @Override
        public void dropped(Set<Integer> partitions) {
            partitions.forEach(blocked::remove);
            // a gathering group has its records' span in its partition's offsets until the group is dispatched
            gathering.keySet().removeIf(key -> partitions.stream().map(states::offsets)
                    .anyMatch(offsets -> offsets != null && offsets.last(key) >= 0));
            states.disowned(partitions);
        }

        /**
         * Reads each partition's entries from the dispatch state and answers its committed offset. A partition without
         * state or without an offset is derived from history first; one whose state cannot be read is left out
         * (paused), named by readiness.
         */
        @Override
        public Map<TopicPartition, Long> restore(Map<TopicPartition, OffsetAndMetadata> committed) {
            Set<TopicPartition> restoring = committed.keySet();
            Map<Integer, Map<String, LaneGroupState>> entries = new HashMap<>();
            Set<Integer> migrated = new HashSet<>();
            // per partition, the entries whose latest record cannot be read: a later record of the key (its
            // tombstone, or an entry that reads) replaces one, as compaction will
            Map<Integer, Map<String, String>> unreadable = new HashMap<>();
            List<TopicPartition> statePartitions = restoring.stream()
                    .map(tp -> new TopicPartition(stateTopic.name(), tp.partition())).toList();
            PartitionReader.readToEnd(config.bootstrapServers(), statePartitions, RESTORE_TIMEOUT, r -> {
                Map<String, String> bad = unreadable.computeIfAbsent(r.partition(), p -> new LinkedHashMap<>());
                try {
                    StateRecords.apply(r, entries.computeIfAbsent(r.partition(), p -> new HashMap<>()), e -> e,
                            () -> migrated.add(r.partition()));
                    bad.remove(r.key());
                } catch (LaneGroupState.UnreadableStateException e) {
                    bad.put(r.key(), e.getMessage());
                }
            });
            Map<TopicPartition, Long> starts = new HashMap<>();
            Map<TopicPartition, Long> toDerive = new HashMap<>();
            int restored = 0;
            for (TopicPartition tp : restoring) {
                int partition = tp.partition();
                OffsetAndMetadata offset = committed.get(tp);
                String first = unreadable.getOrDefault(partition, Map.of()).values().stream().findFirst().orElse(null);
                if (first != null) {
                    String problem = "partition " + partition + " of " + stateTopic.name() + ": "
                            + first + "; only dispatchers of this version write there: delete the "
                            + "entry (a tombstone under its key) if it is not one, then restart this dispatcher";
                    blocked.put(partition, problem);
                    LOG.error(problem);
                    continue;
                }
                if (offset == null || !migrated.contains(partition)) {
                    toDerive.put(tp, offset == null ? null : offset.offset());
                    continue;
                }
                Collection<LaneGroupState> held = entries.getOrDefault(partition, Map.of()).values();
                states.owned(partition, offset.offset(), held);
                restored += held.size();
                starts.put(tp, offset.offset());
            }
            if (!toDerive.isEmpty()) {
                starts.putAll(derive(toDerive));
            }
            // a partition held before (restored again after a failure) whose entries all read now is read again: it
            // no longer holds readiness back; one still unreadable was named again above
            starts.keySet().forEach(tp -> blocked.remove(tp.partition()));
            LOG.infof("dispatch-state restored %s from %s: %d lane groups held here now (%d read)",
                    OwnedPartitionsConsumer.partitions(restoring), stateTopic.name(), states.entryCount(), restored);
            return starts;
        }

        @Override
        public void restored(Set<TopicPartition> resumed) {
            if (!restoredOnce && member.allRestored()) {
                restoredOnce = true;
                // the line the start-up bench (apex bench, history) waits for: the dispatcher can work from here on
                LOG.infof("dispatch-state has read its partitions %s: %d lane groups held", member.assignment(),
                        states.entryCount());
            }
        }
    }

    /**
     * The state of partitions that have none (a stack from before it) or whose group offset is gone, derived from
     * history and committed with the start offset and the partition's migration mark, fenced: once per partition.
     * Answers where each partition starts.
     */
    private Map<TopicPartition, Long> derive(Map<TopicPartition, Long> from) {
        LOG.infof("Deriving the dispatch state of %s from %s (once: %s)", from.keySet(), Topics.BATCHES.name(),
                from.values().stream().anyMatch(java.util.Objects::isNull)
                        ? "no committed offset, so from the partition's first record"
                        : "a stack from before " + stateTopic.name());
        LegacyDispatchState.Derived derived = LegacyDispatchState.derive(config.bootstrapServers(), provider, from,
                MIGRATION_TIMEOUT);
        List<Placed> placed = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        derived.starts().forEach((partition, start) -> {
            starts.put(new TopicPartition(requestTopic.name(), partition), new OffsetAndMetadata(start));
            derived.entries().getOrDefault(partition, List.of()).forEach(e -> placed.add(new Placed(stateTopic,
                    partition, e.groupKey(), e.toBytes())));
            placed.add(new Placed(stateTopic, partition, OwnedLaneStates.MIGRATED,
                    ("{\"migratedAt\":\"" + clock.instant() + "\"}").getBytes(StandardCharsets.UTF_8)));
        });
        publisher.publishOwned(new GroupPosition(starts, member.groupMetadata()), placed, sink -> { }, null);
        Map<TopicPartition, Long> resumed = new HashMap<>();
        derived.starts().forEach((partition, start) -> {
            states.owned(partition, start, derived.entries().getOrDefault(partition, List.of()));
            resumed.put(new TopicPartition(requestTopic.name(), partition), start);
        });
        LOG.infof("Derived the dispatch state of %s: %d lane groups with intents above the offsets %s",
                from.keySet(), derived.entries().values().stream().mapToInt(List::size).sum(), derived.starts());
        return resumed;
    }

    private void close() {
        lanes.shutdown();
        member.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
