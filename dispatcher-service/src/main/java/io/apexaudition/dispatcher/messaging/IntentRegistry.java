package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.dispatcher.domain.LaneGroup;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
    /** Every intent; once submitted or settled without its custom ids, which only an intent in doubt needs. */
    private final Map<String, DispatchIntended> intents = new ConcurrentHashMap<>();
    /** Intent id to batch id: never the BatchSubmitted itself, whose entries only an intent in doubt would need. */
    private final Map<String, String> submitted = new ConcurrentHashMap<>();
    private final Map<String, DispatchSettled> settled = new ConcurrentHashMap<>();
    private final Set<String> claimedBatchIds = ConcurrentHashMap.newKeySet();
    private final Set<String> acceptedRuns = ConcurrentHashMap.newKeySet();
    // Which intent each custom id went out under, kept for the life of the process (it is what stops a request
    // being paid twice after its consumer offsets are lost), so kept compact; guarded by this.
    private final CustomIdIndex slotOfCustomId = new CustomIdIndex();
    private final Map<String, Integer> slotOfIntent = new HashMap<>();
    private final List<String> intentOfSlot = new ArrayList<>();
    /** Per slot, how many custom ids are dispatched under it. */
    private int[] idsOfSlot = new int[64];
    /** Per slot, when its intent was written (epoch ms): the newest intent naming a custom id owns it. */
    private long[] timeOfSlot = new long[64];
    private final Map<String, Set<Integer>> slotsOfGroup = new HashMap<>();
    private volatile TopicTail tail;

    public IntentRegistry(DispatcherConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        startReading();
    }

    /** Starts reading apex.batches and apex.runs from their first offset. */
    public void startReading() {
        tail = new TopicTail("intent-registry", config.bootstrapServers(), List.of(Topics.BATCHES.name(), Topics.RUNS.name()), this::apply)
                .start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        stopReading();
    }

    public void stopReading() {
        if (tail != null) {
            tail.close();
        }
    }

    void apply(ConsumerRecord<String, byte[]> r) {
        ApexEvent event;
        try {
            // apex.batches holds ids only (bodies are named by hash): nothing bulky to skip
            event = EventJson.read(r.value(), Set.of());
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
            rememberIntent(i);
        } else if (event instanceof BatchSubmitted b && config.provider().equals(b.provider())) {
            submitted.put(b.intentId(), b.batchId());
            claimedBatchIds.add(b.batchId());
            intents.computeIfPresent(b.intentId(), (id, intent) -> withoutCustomIds(intent));
        } else if (event instanceof DispatchSettled s && config.provider().equals(s.provider())) {
            settled.put(s.intentId(), s);
            intents.computeIfPresent(s.intentId(), (id, intent) -> withoutCustomIds(intent));
        } else if (event instanceof RunAccepted a) {
            acceptedRuns.add(a.runId());
        }
    }

    private synchronized void rememberIntent(DispatchIntended i) {
        Integer known = slotOfIntent.get(i.intentId());
        int slot = known != null ? known : newSlot(i.intentId());
        long time = i.occurredAt() == null ? Long.MIN_VALUE : i.occurredAt().toEpochMilli();
        timeOfSlot[slot] = time;
        intents.compute(i.intentId(), (id, before) -> isFinished(id) ? withoutCustomIds(i) : i);
        for (String customId : i.customIds()) {
            // apex.batches is keyed by intent, so a lane's intents may be read in any order across partitions: a
            // custom id belongs to the newest intent that names it (the one sent after an older one was found never
            // created), never to whichever happens to be read last
            int current = slotOfCustomId.get(customId);
            if (current >= 0 && current != slot && timeOfSlot[current] > time) {
                slotsOfGroup.computeIfAbsent(groupKey(i.runId(), i.conditionSlug(), attemptOf(customId)),
                        k -> new HashSet<>(2)).add(slot);
                continue;
            }
            int before = slotOfCustomId.put(customId, slot);
            if (before != slot) {
                if (before >= 0) {
                    idsOfSlot[before]--;
                }
                idsOfSlot[slot]++;
            }
            slotsOfGroup.computeIfAbsent(groupKey(i.runId(), i.conditionSlug(), attemptOf(customId)),
                    k -> new HashSet<>(2)).add(slot);
        }
    }

    private int newSlot(String intentId) {
        int slot = intentOfSlot.size();
        intentOfSlot.add(intentId);
        slotOfIntent.put(intentId, slot);
        if (slot == idsOfSlot.length) {
            idsOfSlot = Arrays.copyOf(idsOfSlot, slot * 2);
            timeOfSlot = Arrays.copyOf(timeOfSlot, slot * 2);
        }
        return slot;
    }

    /**
     * Whether the intent's requests are seen through: submitted, or settled for good. An intent found never created
     * is not: its requests are sent again under a new intent.
     */
    private boolean isFinished(String intentId) {
        if (submitted.containsKey(intentId)) {
            return true;
        }
        DispatchSettled s = settled.get(intentId);
        return s != null && s.resolution() != DispatchSettled.Resolution.NOT_CREATED;
    }

    /**
     * Every batch intent of this provider that has neither a submission nor a settlement, oldest first: the order
     * in which they were created, if they were, since a dispatcher creates one batch at a time.
     */
    public List<DispatchIntended> inDoubtBatchIntents() {
        return intents.values().stream()
                .filter(i -> i.kind() == DispatchIntended.Kind.BATCH)
                .filter(i -> !submitted.containsKey(i.intentId()) && !settled.containsKey(i.intentId()))
                .sorted(java.util.Comparator.comparing(DispatchIntended::occurredAt,
                        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                .toList();
    }

    private static DispatchIntended withoutCustomIds(DispatchIntended i) {
        return i.customIds().isEmpty() ? i : new DispatchIntended(i.eventId(), i.schemaVersion(), i.occurredAt(),
                i.intentId(), i.provider(), i.runId(), i.conditionSlug(), i.model(), i.kind(), i.chunk(), List.of());
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

    /**
     * The intent a request's custom id belongs to, if any was written. Once the intent is submitted or settled
     * its {@code customIds} are empty: only an intent in doubt is ever reconciled, and it keeps them.
     */
    public Optional<DispatchIntended> intentOf(String customId) {
        String intentId;
        synchronized (this) {
            int slot = slotOfCustomId.get(customId);
            intentId = slot < 0 ? null : intentOfSlot.get(slot);
        }
        return Optional.ofNullable(intentId).map(intents::get);
    }

    /**
     * What a lane group (run, lane, attempt) already saw through: the custom ids of its intents that were submitted
     * or settled as of this call (later changes do not move the answer, so a group counts each id once).
     */
    public synchronized LaneGroup.Finished finished(String groupKey) {
        Set<Integer> finishedSlots = new HashSet<>();
        int count = 0;
        for (int slot : slotsOfGroup.getOrDefault(groupKey, Set.of())) {
            if (isFinished(intentOfSlot.get(slot))) {
                finishedSlots.add(slot);
                count += idsOfSlot[slot];
            }
        }
        if (finishedSlots.isEmpty()) {
            return LaneGroup.Finished.NONE;
        }
        return new LaneGroup.Finished(count, customId -> {
            synchronized (this) {
                return finishedSlots.contains(slotOfCustomId.get(customId));
            }
        });
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
