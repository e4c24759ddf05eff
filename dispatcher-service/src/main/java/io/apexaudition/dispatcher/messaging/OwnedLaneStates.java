package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.DispatcherConfig;
import io.apexaudition.dispatcher.domain.DispatchLedger;
import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.dispatcher.domain.PartitionOffsets;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.Keys;
import io.apexaudition.events.TopicSpec;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.KafkaSettings;
import io.apexaudition.messaging.KafkaUnavailableException;
import io.apexaudition.messaging.PartitionReader;
import io.apexaudition.messaging.TransactionalPublisher;
import io.apexaudition.messaging.TransactionalPublisher.Addressed;
import io.apexaudition.messaging.TransactionalPublisher.GroupPosition;
import io.apexaudition.messaging.TransactionalPublisher.Placed;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The dispatch state of the request partitions this instance owns (architecture.md, "Dispatcher state"): the entry
 * of every lane group still open or kept there ({@link LaneGroupState}, restored from the compacted
 * {@code apex.dispatch-state.<provider>}), each partition's offsets ({@link PartitionOffsets}), and the one way to
 * commit during a dispatch. Consumes nothing itself; produces, in each transaction, the events handed to it, the
 * changed entries (in the partition number of their requests), the tombstones of the entries the new offsets pass,
 * and those offsets for the consumer group. Money rule: the offsets are sent with the group's metadata, so an instance
 * whose partition went elsewhere has the whole transaction refused ({@link TransactionalPublisher.PartitionsLostException})
 * and can commit no intent there, and so make no paid call; in memory only what committed.
 */
@ApplicationScoped
public class OwnedLaneStates implements DispatchLedger {
    private static final Logger LOG = Logger.getLogger(OwnedLaneStates.class);
    /** The key of the record that says a partition of the state topic was migrated (never a lane group key). */
    public static final String MIGRATED = "!migrated";

    private final TransactionalPublisher publisher;
    private final String provider;
    private final String bootstrapServers;
    private final TopicSpec stateTopic;
    private final TopicSpec requestTopic;
    /** The consumer group's metadata, which fences every commit; null outside a group (the ledger used alone). */
    private volatile Supplier<ConsumerGroupMetadata> group;
    /**
     * Per owned partition, its offsets, the one its last transaction committed among them. Changed under the
     * ledger's lock; read without it (concurrent maps; a {@link PartitionOffsets} locks its own), so that a lookup
     * does not wait for the transaction of a lane group dispatched beside it.
     */
    private final Map<Integer, PartitionOffsets> offsets = new java.util.concurrent.ConcurrentHashMap<>();
    /** The entries held, by group key: changed under the ledger's lock, read by the lookups without it. */
    private final Map<String, LaneGroupState> entries = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> partitionOf = new HashMap<>();
    /**
     * Indexes of the entries. Like {@link #entries}, changed under the ledger's lock and read by the lookups a dispatch
     * asks without it: a lane group must not wait for the other lanes' transactions for each of its requests. What it
     * looks up (its own custom ids and intents) changes only by its own dispatches' commits, or by the reconciliation
     * of a batch intent, which only batch groups run, one after another; entries are replaced whole.
     */
    private final Map<String, String> groupOfIntent = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Set<String>> groupsOfCustomId = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The lane group each dispatching thread works on, and its partition: every commit of the dispatch writes its
     * entry (synchronous lane groups of one poll are dispatched side by side, one thread each).
     */
    private final ThreadLocal<Dispatching> dispatching = new ThreadLocal<>();
    /** Every instance's entries, read only once a match by count asks (Anthropic). */
    private ProviderLaneStates providerWide;
    /** Commits asked for while a transaction is under way: the next transaction takes them all (group commit). */
    private final List<Commit> waiting = new ArrayList<>();

    private record Dispatching(String groupKey, int partition) {
    }

    @jakarta.inject.Inject
    public OwnedLaneStates(TransactionalPublisher publisher, DispatcherConfig config) {
        this(publisher, config.provider(), config.bootstrapServers(), Topics.dispatchState(config.provider()),
                Topics.generationRequests(config.provider()));
    }

    /** A provider's ledger on its own topics, or (tests with a fake provider) on the topics given. */
    public OwnedLaneStates(TransactionalPublisher publisher, String provider, String bootstrapServers,
                           TopicSpec stateTopic, TopicSpec requestTopic) {
        this.publisher = publisher;
        this.provider = provider;
        this.bootstrapServers = bootstrapServers;
        this.stateTopic = stateTopic;
        this.requestTopic = requestTopic;
    }

    /** Commits from now on carry the offsets of the partitions they touch, fenced by this group's metadata. */
    public void fencedBy(Supplier<ConsumerGroupMetadata> group) {
        this.group = group;
    }

    /** A partition is this instance's from its committed offset, with the entries restored from its state. */
    public synchronized void owned(int partition, long committed, Collection<LaneGroupState> restored) {
        PartitionOffsets partitionOffsets = new PartitionOffsets(committed);
        offsets.put(partition, partitionOffsets);
        for (LaneGroupState entry : restored) {
            put(entry, partition);
            partitionOffsets.restored(entry.groupKey(), entry.lastOffset());
        }
    }

    /** Partitions gone to another instance (or to be restored again): everything held for them is dropped. */
    public synchronized void disowned(Collection<Integer> partitions) {
        for (int partition : partitions) {
            offsets.remove(partition);
        }
        List<String> gone = partitionOf.entrySet().stream().filter(e -> partitions.contains(e.getValue()))
                .map(Map.Entry::getKey).toList();
        gone.forEach(this::forget);
    }

    /** The partition's offsets while it is this instance's, else null; does not wait for a transaction. */
    public PartitionOffsets offsets(int partition) {
        return offsets.get(partition);
    }

    public Set<Integer> ownedPartitions() {
        return Set.copyOf(offsets.keySet());
    }

    /** Lane groups whose entries are held: open, or kept until the offset passes their records. */
    public int entryCount() {
        return entries.size();
    }

    /**
     * What a lane group already saw through, for the group gathering its (redelivered) requests; does not wait for a
     * transaction (an entry is replaced whole, and a group gathering is not under way, so none of its own changes).
     */
    public LaneGroup.Finished finished(String groupKey) {
        LaneGroupState entry = entries.get(groupKey);
        return entry == null ? LaneGroup.Finished.NONE : entry.finished();
    }

    /**
     * The lane group whose dispatch starts: its entry rides in every commit until {@link #dispatchEnded}. Only this
     * thread's own note, so not behind the ledger's lock: a lane group starting does not wait for a transaction.
     */
    public void dispatching(String groupKey, int partition) {
        if (groupKey == null) {
            dispatching.remove();
        } else {
            dispatching.set(new Dispatching(groupKey, partition));
        }
    }

    /**
     * Its dispatch ended: the group no longer holds its partition's offset back (committed by the next commit). Not
     * behind the ledger's lock: a transaction under way computed its offset with the group still under way, so it
     * commits an offset at or below the group's first record and lets nothing of it go.
     */
    public void dispatchEnded() {
        Dispatching current = dispatching.get();
        if (current != null) {
            PartitionOffsets partitionOffsets = offsets.get(current.partition());
            if (partitionOffsets != null) {
                partitionOffsets.done(current.groupKey());
            }
        }
        dispatching.remove();
    }

    @Override
    public Optional<DispatchIntended> intentOf(String customId) {
        return groupsOfCustomId.getOrDefault(customId, Set.of()).stream().map(entries::get)
                .filter(java.util.Objects::nonNull)
                .flatMap(e -> e.intentOf(customId).stream())
                .max(Comparator.comparing(x -> x.intended().occurredAt(),
                        Comparator.nullsFirst(Comparator.<Instant>naturalOrder())))
                .map(LaneGroupState.Intent::intended);
    }

    @Override
    public Optional<DispatchIntended> intent(String intentId) {
        return held(intentId).map(LaneGroupState.Intent::intended);
    }

    @Override
    public Optional<DispatchSettled> settlement(String intentId) {
        return held(intentId).map(LaneGroupState.Intent::settlement);
    }

    @Override
    public boolean isSubmitted(String intentId) {
        return held(intentId).map(x -> x.batchId() != null).orElse(false);
    }

    private Optional<LaneGroupState.Intent> held(String intentId) {
        String key = groupOfIntent.get(intentId);
        LaneGroupState entry = key == null ? null : entries.get(key);
        return entry == null ? Optional.empty() : entry.intents().stream()
                .filter(x -> x.intended().intentId().equals(intentId)).findFirst();
    }

    @Override
    public List<DispatchIntended> inDoubtBatchIntents() {
        return entries.values().stream().flatMap(e -> e.inDoubt().stream())
                .filter(i -> i.kind() == DispatchIntended.Kind.BATCH)
                .sorted(Comparator.comparing(DispatchIntended::occurredAt,
                        Comparator.nullsFirst(Comparator.<Instant>naturalOrder())))
                .toList();
    }

    /**
     * The batch ids of the owned entries, and of every {@code BatchSubmitted} of this provider written to
     * {@code apex.batches} since {@code since} (found by time on each partition: a read bounded by the window asked
     * for, not by history). Asked only when an intent in doubt is matched by count (Anthropic).
     */
    @Override
    public Set<String> claimedBatchIds(Instant since) {
        Set<String> claimed = new HashSet<>();
        synchronized (this) {
            entries.values().forEach(e -> e.intents().stream().map(LaneGroupState.Intent::batchId)
                    .filter(java.util.Objects::nonNull).forEach(claimed::add));
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<String, Object> settings = KafkaSettings.consumer(bootstrapServers);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings)) {
            Map<TopicPartition, Long> at = new HashMap<>();
            for (PartitionInfo info : c.partitionsFor(Topics.BATCHES.name(), Duration.ofSeconds(30))) {
                at.put(new TopicPartition(info.topic(), info.partition()), since.toEpochMilli());
            }
            Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(at, Duration.ofSeconds(30));
            Map<TopicPartition, Long> ends = c.endOffsets(at.keySet(), Duration.ofSeconds(30));
            at.keySet().forEach(tp -> from.put(tp, found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
        }
        PartitionReader.readFrom(bootstrapServers, from, Duration.ofMinutes(2), r -> {
            try {
                if (EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class)) instanceof BatchSubmitted b
                        && provider.equals(b.provider())) {
                    claimed.add(b.batchId());
                }
            } catch (EventJson.UnreadableEventException ignored) {
                // not a batch: it claims nothing (the poller parks what it cannot read)
            }
        });
        return claimed;
    }

    /** Every partition of the dispatch state, read on from where the last question stopped (Anthropic only). */
    @Override
    public DispatchLedger.ProviderWide providerWide() {
        ProviderLaneStates all;
        synchronized (this) {
            if (providerWide == null) {
                providerWide = new ProviderLaneStates(bootstrapServers, stateTopic, provider);
            }
            all = providerWide;
        }
        // outside this ledger's lock: the commits of lane groups dispatched side by side go on while it reads
        return all.catchUp();
    }

    /**
     * Commits the events with the entries they change (and the dispatching group's), the tombstones of entries the
     * new offsets pass, and those offsets, in one transaction; held in memory only once it committed. Group commit:
     * the commits that lane groups dispatched side by side ask for while a transaction is under way wait for it, then
     * share the next one (each caller's events stay together: a transaction holds all of a caller's events or none,
     * and a caller returns only once its own landed). A caller whose commit cannot be made (its partition is not
     * this instance's, an event of an intent it does not hold) is refused alone; how a shared transaction that fails
     * is told to its callers is {@link #commitRound}'s.
     */
    @Override
    public void commit(List<Addressed> events, Supplier<Iterator<Addressed>> streamed) {
        Commit mine = new Commit(events, streamed, dispatching.get());
        synchronized (waiting) {
            waiting.add(mine);
        }
        synchronized (this) {
            if (!mine.done) {
                List<Commit> round;
                synchronized (waiting) {
                    if (Thread.currentThread().isInterrupted()) {
                        // Kafka's client refuses to work on an interrupted thread: this one commits only its own,
                        // and the next thread to take the lock takes the others
                        waiting.remove(mine);
                        round = List.of(mine);
                    } else {
                        round = new ArrayList<>(waiting);
                        waiting.clear();
                    }
                }
                commitRound(round);
            }
        }
        mine.rethrow();
    }

    /** One caller's commit, waiting for a transaction (its thread's dispatching lane group taken with it). */
    private static final class Commit {
        final List<Addressed> events;
        final Supplier<Iterator<Addressed>> streamed;
        final Dispatching current;
        /** Set under the ledger's lock, read by the caller under it or after it. */
        boolean done;
        boolean committed;
        Throwable failure;

        Commit(List<Addressed> events, Supplier<Iterator<Addressed>> streamed, Dispatching current) {
            this.events = events;
            this.streamed = streamed;
            this.current = current;
        }

        /** Returns only when this commit's transaction landed. */
        void rethrow() {
            if (committed) {
                return;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("a commit ended without a transaction or a failure", failure);
        }
    }

    /**
     * The commits of one round in one transaction: each one's entries prepared in turn, a refused one left out. Every
     * commit of the round ends done, and committed only if its transaction landed. When a transaction shared by
     * several fails for another reason than an outage or a lost partition (which would refuse each of them alone as
     * well), each is committed again in a transaction of its own: what one caller brought (a record too large, a
     * supplier of bodies that throws, an {@code Error}) fails only that caller, never the paid results of another.
     */
    private void commitRound(List<Commit> round) {
        List<Commit> taken = new ArrayList<>();
        try {
            Map<String, LaneGroupState> changed = new LinkedHashMap<>();
            Map<String, Integer> partitions = new HashMap<>();
            Map<String, String> intentsHere = new HashMap<>();
            Supplier<ConsumerGroupMetadata> fence = group;
            for (Commit c : round) {
                try {
                    Map<String, LaneGroupState> own = new LinkedHashMap<>();
                    Map<String, Integer> ownPartitions = new HashMap<>();
                    Map<String, String> ownIntents = new HashMap<>(intentsHere);
                    prepare(c, changed, own, ownPartitions, ownIntents);
                    if (fence != null) {
                        for (int partition : ownPartitions.values()) {
                            requireOwned(partition);
                        }
                    }
                    changed.putAll(own);
                    partitions.putAll(ownPartitions);
                    intentsHere = ownIntents;
                    taken.add(c);
                } catch (RuntimeException | Error e) {
                    // this caller's own: it fails alone, the others go on
                    c.failure = e;
                }
            }
            if (taken.isEmpty()) {
                return;
            }
            Consumer<Consumer<Addressed>> source = sink -> taken.forEach(c -> send(c.streamed, c.events, sink));
            Runnable landed;
            try {
                landed = fence == null ? publishUnfenced(changed, partitions, source)
                        : publishFenced(fence.get(), changed, partitions, new HashSet<>(partitions.values()), source);
            } catch (RuntimeException | Error e) {
                if (taken.size() > 1 && !(e instanceof KafkaUnavailableException)
                        && !(e instanceof TransactionalPublisher.PartitionsLostException)) {
                    LOG.warnf("A transaction shared by %d lane groups' commits failed (%s); each is committed again "
                            + "on its own", taken.size(), e);
                    taken.forEach(c -> commitRound(List.of(c)));
                    return;
                }
                taken.forEach(c -> c.failure = e);
                return;
            }
            landed.run();
            taken.forEach(c -> c.committed = true);
        } catch (RuntimeException | Error e) {
            // holding what landed in memory failed (or the round itself did): the callers are told, as for a commit
            // that did not land
            taken.stream().filter(c -> !c.committed && c.failure == null).forEach(c -> c.failure = e);
        } finally {
            round.stream().filter(c -> !c.committed && c.failure == null && !c.done).forEach(c -> c.failure =
                    new IllegalStateException("a commit was left out of its transaction"));
            round.forEach(c -> c.done = true);
        }
    }

    /** The ledger used alone (no consumer group): entries only, nothing to offset or let go. */
    private Runnable publishUnfenced(Map<String, LaneGroupState> changed, Map<String, Integer> partitions,
                                     Consumer<Consumer<Addressed>> source) {
        List<Placed> placed = new ArrayList<>();
        changed.forEach((key, entry) -> placed.add(new Placed(stateTopic, partitions.get(key), key,
                withLast(entry, partitions.get(key)).toBytes())));
        publisher.publishOwned(null, placed, source, null);
        return () -> changed.forEach((key, entry) -> put(withLast(entry, partitions.get(key)), partitions.get(key)));
    }

    /**
     * The entries one commit changes (its dispatching group's, and those of the intents its events belong to), each
     * taken on from what the round has changed already, else from what is held.
     */
    private void prepare(Commit c, Map<String, LaneGroupState> before, Map<String, LaneGroupState> own,
                         Map<String, Integer> ownPartitions, Map<String, String> intentsHere) {
        Dispatching current = c.current;
        if (current != null) {
            own.put(current.groupKey(), before.getOrDefault(current.groupKey(), entryOrEmpty(current.groupKey())));
            ownPartitions.put(current.groupKey(), current.partition());
        }
        for (Addressed a : c.events) {
            ApexEvent event = a.event();
            String key = groupOf(event, intentsHere, current);
            if (key == null) {
                continue;
            }
            if (event instanceof DispatchIntended i) {
                intentsHere.put(i.intentId(), key);
            }
            LaneGroupState entry = own.containsKey(key) ? own.get(key)
                    : before.containsKey(key) ? before.get(key) : entryOrEmpty(key);
            own.put(key, entry.with(event));
            ownPartitions.computeIfAbsent(key, k -> partitionOfGroup(k, current));
        }
    }

    private void requireOwned(int partition) {
        if (!offsets.containsKey(partition)) {
            // a partition this instance no longer holds: its state is another's, so nothing is committed
            throw new TransactionalPublisher.PartitionsLostException("request partition " + partition
                    + " of " + requestTopic.name() + " is not owned by this dispatcher (any more)", null);
        }
    }

    private static void send(Supplier<Iterator<Addressed>> streamed, List<Addressed> events,
                             java.util.function.Consumer<Addressed> sink) {
        for (Iterator<Addressed> pass = streamed.get(); pass.hasNext(); ) {
            sink.accept(pass.next());
        }
        events.forEach(sink);
    }

    /**
     * Commits the offsets of the owned partitions that moved since their last commit (groups dispatched, records
     * parked), with the tombstones of the entries they pass. Nothing when none moved.
     */
    public synchronized void commitOffsets() {
        Supplier<ConsumerGroupMetadata> fence = group;
        if (fence == null) {
            return;
        }
        Set<Integer> moved = new HashSet<>();
        offsets.forEach((partition, o) -> {
            if (o.committable() != o.committed()) {
                moved.add(partition);
            }
        });
        if (!moved.isEmpty()) {
            publishFenced(fence.get(), Map.of(), Map.of(), moved, sink -> { }).run();
        }
    }

    /** Publishes one fenced transaction; returns what then holds it in memory. */
    private Runnable publishFenced(ConsumerGroupMetadata metadata, Map<String, LaneGroupState> changed,
                              Map<String, Integer> partitionsOfChanged, Set<Integer> partitions,
                              Consumer<Consumer<Addressed>> source) {
        Map<TopicPartition, OffsetAndMetadata> position = new HashMap<>();
        Map<Integer, Long> committing = new HashMap<>();
        Set<String> passed = new LinkedHashSet<>();
        Map<String, Integer> passedPartition = new HashMap<>();
        for (int partition : partitions) {
            requireOwned(partition);
            PartitionOffsets partitionOffsets = offsets.get(partition);
            long offset = partitionOffsets.committable();
            committing.put(partition, offset);
            position.put(new TopicPartition(requestTopic.name(), partition), new OffsetAndMetadata(offset));
            for (String key : partitionOffsets.passedBy(offset)) {
                passed.add(key);
                passedPartition.put(key, partition);
            }
        }
        List<Placed> placed = new ArrayList<>();
        Map<String, LaneGroupState> kept = new LinkedHashMap<>();
        changed.forEach((key, entry) -> {
            if (!passed.contains(key)) {
                int partition = partitionsOfChanged.get(key);
                LaneGroupState current = withLast(entry, partition);
                kept.put(key, current);
                placed.add(new Placed(stateTopic, partition, key, current.toBytes()));
            }
        });
        passed.forEach(key -> placed.add(new Placed(stateTopic, passedPartition.get(key), key, null)));
        publisher.publishOwned(position.isEmpty() ? null : new GroupPosition(position, metadata), placed, source, null);
        return () -> {
            kept.forEach((key, entry) -> put(entry, partitionsOfChanged.get(key)));
            committing.forEach((partition, offset) -> offsets.get(partition).letGo(offset).forEach(this::forget));
        };
    }

    /** The lane group an event changes the entry of, or null for an event that changes none (results, bodies). */
    private String groupOf(ApexEvent event, Map<String, String> intentsHere, Dispatching current) {
        if (event instanceof DispatchIntended i) {
            String known = groupOfIntent.get(i.intentId());
            if (known != null) {
                return known;
            }
            return i.customIds().isEmpty() ? (current == null ? null : current.groupKey())
                    : LaneGroup.key(i.runId(), i.conditionSlug(), LaneGroup.attemptOf(i.customIds().get(0)));
        }
        String intentId = event instanceof BatchSubmitted b ? b.intentId()
                : event instanceof DispatchSettled s ? s.intentId() : null;
        if (intentId == null) {
            return null;
        }
        String key = intentsHere.getOrDefault(intentId, groupOfIntent.get(intentId));
        if (key == null) {
            throw new IllegalStateException("intent " + intentId + " is not held by this dispatcher: its submission "
                    + "or settlement cannot be recorded in its lane group's state");
        }
        return key;
    }

    /** The partition of a lane group: the one it is held in, else its requests' (the planner keys them by lane). */
    private int partitionOfGroup(String groupKey, Dispatching current) {
        Integer held = partitionOf.get(groupKey);
        if (held != null) {
            return held;
        }
        if (current != null && groupKey.equals(current.groupKey())) {
            return current.partition();
        }
        String[] parts = groupKey.split("/");
        // the producer's default partitioner for a keyed record (murmur2 of the key's bytes), as the planner's
        byte[] laneKey = Keys.lane(parts[0], parts[1]).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(laneKey)) % requestTopic.partitions();
    }

    private LaneGroupState entryOrEmpty(String groupKey) {
        LaneGroupState entry = entries.get(groupKey);
        return entry != null ? entry : LaneGroupState.empty(groupKey, -1);
    }

    /** The entry with the offset of its group's last record as read here (it only grows). */
    private LaneGroupState withLast(LaneGroupState entry, int partition) {
        PartitionOffsets partitionOffsets = offsets.get(partition);
        long last = partitionOffsets == null ? entry.lastOffset()
                : Math.max(entry.lastOffset(), partitionOffsets.last(entry.groupKey()));
        return last == entry.lastOffset() ? entry
                : new LaneGroupState(entry.schemaVersion(), entry.groupKey(), last, entry.intents());
    }

    private void put(LaneGroupState entry, int partition) {
        String key = entry.groupKey();
        entries.put(key, entry);
        partitionOf.put(key, partition);
        for (LaneGroupState.Intent x : entry.intents()) {
            groupOfIntent.put(x.intended().intentId(), key);
            for (String customId : x.intended().customIds()) {
                groupsOfCustomId.computeIfAbsent(customId, id -> java.util.concurrent.ConcurrentHashMap.newKeySet(2))
                        .add(key);
            }
        }
    }

    private void forget(String groupKey) {
        LaneGroupState entry = entries.remove(groupKey);
        partitionOf.remove(groupKey);
        if (entry == null) {
            return;
        }
        for (LaneGroupState.Intent x : entry.intents()) {
            groupOfIntent.remove(x.intended().intentId(), groupKey);
            for (String customId : x.intended().customIds()) {
                Set<String> groups = groupsOfCustomId.get(customId);
                if (groups != null) {
                    groups.remove(groupKey);
                    if (groups.isEmpty()) {
                        groupsOfCustomId.remove(customId);
                    }
                }
            }
        }
    }
}
