package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.DispatchLedger;
import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.TopicSpec;
import io.apexaudition.messaging.PartitionReader;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every dispatcher's entries of one provider, not only the owned partitions': what an Anthropic reconciliation needs to
 * know which other batch intents are open (another instance may be creating, or have just created, a batch of the
 * same size). Reads every partition of {@code apex.dispatch-state.<provider>} outside any group (read_committed, so an
 * open transaction is waited out), from its first offset the first time it is asked and from where it stopped after
 * that; keeps per lane group only its open batch intents and recorded batch ids. A compacted topic: what it reads is
 * bounded by what is open, plus what closed in the last hour or so. Asked only for a match by count, never at start.
 */
final class ProviderLaneStates {
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    /** What one lane group's entry says that a match by count needs. */
    private record Kept(List<DispatchIntended> open, Set<String> batchIds) {
    }

    private final String bootstrapServers;
    private final TopicSpec stateTopic;
    private final String provider;
    /** Per partition, the offset to read from next (null: its first). */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<Integer, Map<String, Kept>> held = new HashMap<>();
    /** Entries that cannot be read, by key: an open intent could hide in one, so nothing is concluded meanwhile. */
    private final Map<String, LaneGroupState.UnreadableStateException> unreadable = new HashMap<>();

    ProviderLaneStates(String bootstrapServers, TopicSpec stateTopic, String provider) {
        this.bootstrapServers = bootstrapServers;
        this.stateTopic = stateTopic;
        this.provider = provider;
        for (int p = 0; p < stateTopic.partitions(); p++) {
            next.put(new TopicPartition(stateTopic.name(), p), null);
        }
    }

    /** Reads on to the end of every partition, then answers from all that was read. */
    synchronized DispatchLedger.ProviderWide catchUp() {
        PartitionReader.readFrom(bootstrapServers, new HashMap<>(next), READ_TIMEOUT, r -> {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            try {
                StateRecords.apply(r, held.computeIfAbsent(r.partition(), p -> new HashMap<>()), this::keep, () -> { });
                unreadable.remove(r.key());
            } catch (LaneGroupState.UnreadableStateException e) {
                unreadable.put(r.key(), e);
            }
        });
        if (!unreadable.isEmpty()) {
            throw unreadable.values().iterator().next();
        }
        List<DispatchIntended> open = new ArrayList<>();
        Set<String> batchIds = new HashSet<>();
        held.values().forEach(entries -> entries.values().forEach(k -> {
            open.addAll(k.open());
            batchIds.addAll(k.batchIds());
        }));
        return new DispatchLedger.ProviderWide(open, batchIds);
    }

    /** The open batch intents and recorded batches of this provider in an entry; null when it has neither. */
    private Kept keep(LaneGroupState entry) {
        List<DispatchIntended> open = entry.inDoubt().stream()
                .filter(i -> i.kind() == DispatchIntended.Kind.BATCH && provider.equals(i.provider())).toList();
        Set<String> batchIds = new HashSet<>();
        entry.intents().stream().filter(x -> provider.equals(x.intended().provider()))
                .map(LaneGroupState.Intent::batchId).filter(Objects::nonNull).forEach(batchIds::add);
        return open.isEmpty() && batchIds.isEmpty() ? null : new Kept(open, batchIds);
    }
}
