package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroup;
import io.apexaudition.dispatcher.domain.LaneGroupState;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventJson;
import io.apexaudition.events.GenerationRequested;
import io.apexaudition.events.LaneGroupRequested;
import io.apexaudition.events.Topics;
import io.apexaudition.messaging.PartitionReader;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatch state of request partitions that have none yet, derived once from history: a stack from before
 * {@code apex.dispatch-state.<provider>}, or a partition whose group offset was lost (an offset expires after the
 * group stood empty for {@code offsets.retention.minutes}). The lane groups whose requests lie at or above the start
 * offset (the group's committed offset, or the partition's first) get the entries that {@code apex.batches} says they
 * would have: their intents and what became of each. Money rule: a request the old dispatcher saw through is then known
 * as finished when it is delivered again, and one in doubt is reconciled, never sent again blindly. Reads the whole of
 * {@code apex.batches} (ids only since claim checks), once per partition's life.
 */
final class LegacyDispatchState {
    private LegacyDispatchState() {
    }

    /** Per partition: where consumption starts, and the entries of the lane groups with intents from there on. */
    record Derived(Map<Integer, Long> starts, Map<Integer, List<LaneGroupState>> entries) {
    }

    /** @param from each request partition's committed offset, or null for none (then from its first offset) */
    static Derived derive(String bootstrapServers, String provider, Map<TopicPartition, Long> from,
                          Duration timeout) {
        Map<Integer, Long> starts = new HashMap<>();
        from.forEach((tp, offset) -> starts.put(tp.partition(), offset == null ? 0L : offset));
        // the lane groups whose requests can still be delivered: partition and last offset of each
        Map<String, long[]> spans = new HashMap<>();
        PartitionReader.readFrom(bootstrapServers, from, timeout, r -> {
            try {
                ApexEvent read = EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class));
                String group = read instanceof GenerationRequested g
                        ? LaneGroup.key(g.runId(), g.conditionSlug(), g.attempt())
                        : read instanceof LaneGroupRequested part
                        ? LaneGroup.key(part.runId(), part.conditionSlug(), part.attempt()) : null;
                if (group != null) {
                    long[] span = spans.computeIfAbsent(group, k -> new long[]{r.partition(), r.offset()});
                    span[1] = Math.max(span[1], r.offset());
                }
            } catch (EventJson.UnreadableEventException e) {
                // parked when it is consumed; it belongs to no lane group
            }
        });
        Map<String, LaneGroupState> states = new HashMap<>();
        Map<String, String> groupOfIntent = new HashMap<>();
        if (!spans.isEmpty()) {
            List<TopicPartition> batches = new ArrayList<>();
            for (int p = 0; p < Topics.BATCHES.partitions(); p++) {
                batches.add(new TopicPartition(Topics.BATCHES.name(), p));
            }
            // apex.batches is keyed by intent: an intent precedes its submission and settlement in its partition
            PartitionReader.readToEnd(bootstrapServers, batches, timeout, r -> {
                ApexEvent event;
                try {
                    event = EventJson.read(r.value(), EnumSet.allOf(EventJson.Skip.class));
                } catch (EventJson.UnreadableEventException e) {
                    return;
                }
                String key = null;
                if (event instanceof DispatchIntended i && provider.equals(i.provider()) && !i.customIds().isEmpty()) {
                    key = LaneGroup.key(i.runId(), i.conditionSlug(), LaneGroup.attemptOf(i.customIds().get(0)));
                    if (!spans.containsKey(key)) {
                        return;
                    }
                    groupOfIntent.put(i.intentId(), key);
                } else if (event instanceof BatchSubmitted b && provider.equals(b.provider())) {
                    key = groupOfIntent.get(b.intentId());
                } else if (event instanceof DispatchSettled s && provider.equals(s.provider())) {
                    key = groupOfIntent.get(s.intentId());
                }
                if (key != null) {
                    long[] span = spans.get(key);
                    states.put(key, states.getOrDefault(key, LaneGroupState.empty(key, span[1])).with(event));
                }
            });
        }
        Map<Integer, List<LaneGroupState>> entries = new HashMap<>();
        starts.keySet().forEach(p -> entries.put(p, new ArrayList<>()));
        states.forEach((key, state) -> entries.computeIfAbsent((int) spans.get(key)[0], p -> new ArrayList<>())
                .add(state));
        return new Derived(starts, entries);
    }
}
