package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.RunAccepted;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.TopicTail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dispatcher's memory of what it intended and what became of it, read from {@code apex.batches} (from the
 * first offset, committed records only) and kept up to date as the topic grows. Before a lane is dispatched the
 * registry catches up with the topic, so a restarted or a new instance sees every intent its predecessor wrote.
 * It also reads {@code apex.runs} to know which runs the planner accepted: a request for any other run is never
 * paid for.
 */
@ApplicationScoped
public class IntentRegistry {
    private static final Logger LOG = Logger.getLogger(IntentRegistry.class);

    private final DispatcherConfig config;
    private final Map<String, DispatchIntended> intents = new ConcurrentHashMap<>();
    /** Intent id to batch id: never the BatchSubmitted itself, which carries every request body as sent. */
    private final Map<String, String> submitted = new ConcurrentHashMap<>();
    private final Map<String, DispatchSettled> settled = new ConcurrentHashMap<>();
    private final Map<String, String> intentOfCustomId = new ConcurrentHashMap<>();
    private final Set<String> claimedBatchIds = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> dispatchedByGroup = new ConcurrentHashMap<>();
    private final Set<String> acceptedRuns = ConcurrentHashMap.newKeySet();
    private volatile TopicTail tail;

    public IntentRegistry(DispatcherConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        tail = new TopicTail("intent-registry", config.bootstrapServers(), List.of(Topics.BATCHES.name(), Topics.RUNS.name()), this::apply)
                .start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (tail != null) {
            tail.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        ApexEvent event;
        try {
            // only ids matter here: skipping the request bodies saves decoding megabytes per batch
            event = EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class));
        } catch (EventJson.UnreadableEventException e) {
            LOG.warnf("Skipping unreadable record of %s (%d@%d): %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return;
        }
        remember(event);
    }

    /** Applies an event this instance has just committed, without waiting for the tail to read it back. */
    public void remember(ApexEvent event) {
        if (event instanceof DispatchIntended i && config.provider().equals(i.provider())) {
            intents.put(i.intentId(), i);
            i.customIds().forEach(id -> {
                intentOfCustomId.put(id, i.intentId());
                dispatchedByGroup.computeIfAbsent(groupKey(i.runId(), i.conditionSlug(), attemptOf(id)),
                        k -> ConcurrentHashMap.newKeySet()).add(id);
            });
        } else if (event instanceof BatchSubmitted b && config.provider().equals(b.provider())) {
            submitted.put(b.intentId(), b.batchId());
            claimedBatchIds.add(b.batchId());
        } else if (event instanceof DispatchSettled s && config.provider().equals(s.provider())) {
            settled.put(s.intentId(), s);
        } else if (event instanceof RunAccepted a) {
            acceptedRuns.add(a.runId());
        }
    }

    /** The planner accepted this run (as of the last catch-up); requests of any other run are poison. */
    public boolean isAcceptedRun(String runId) {
        return acceptedRuns.contains(runId);
    }

    /** Blocks until everything committed to apex.batches and apex.runs before this call has been read. */
    public void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tail == null) {
            if (System.nanoTime() > deadline) {
                throw new KafkaUnavailableException("the intent registry has not started reading apex.batches", null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        tail.awaitCaughtUp(timeout);
    }

    public Optional<DispatchIntended> intent(String intentId) {
        return Optional.ofNullable(intents.get(intentId));
    }

    /** The intent a request's custom id belongs to, if any was written. */
    public Optional<DispatchIntended> intentOf(String customId) {
        return Optional.ofNullable(intentOfCustomId.get(customId)).map(intents::get);
    }

    /** Custom ids of a lane group (run, lane, attempt) whose intent was submitted or settled. */
    public Set<String> finishedIds(String groupKey) {
        Set<String> finished = new java.util.HashSet<>();
        for (String id : dispatchedByGroup.getOrDefault(groupKey, Set.of())) {
            String intent = intentOfCustomId.get(id);
            if (intent != null && (submitted.containsKey(intent) || settled.containsKey(intent))) {
                finished.add(id);
            }
        }
        return finished;
    }

    public static String groupKey(String runId, String slug, int attempt) {
        return runId + "/" + slug + "/" + attempt;
    }

    /** The attempt a custom id ({@code g<id>-a<attempt>}) names. */
    static int attemptOf(String customId) {
        int at = customId.lastIndexOf("-a");
        try {
            return at < 0 ? 1 : Integer.parseInt(customId.substring(at + 2));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public Optional<DispatchSettled> settlement(String intentId) {
        return Optional.ofNullable(settled.get(intentId));
    }

    public boolean isSubmitted(String intentId) {
        return submitted.containsKey(intentId);
    }

    public boolean isSettled(String intentId) {
        return settled.containsKey(intentId);
    }

    /** Batch ids already matched to an intent: never adopted again by a reconciliation. */
    public Set<String> claimedBatchIds() {
        return Set.copyOf(claimedBatchIds);
    }
}
