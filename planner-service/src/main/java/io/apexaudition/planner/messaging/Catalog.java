package io.apexaudition.planner.messaging;

import io.apexaudition.events.EventJson;
import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The latest version of every lane and prompt, read from the planner's global stores. */
final class Catalog {
    private static final Logger LOG = Logger.getLogger(Catalog.class);

    private Catalog() {
    }

    static Map<String, LaneRegistered> latestLanes(ReadOnlyKeyValueStore<String, String> store) {
        Map<String, LaneRegistered> latest = new HashMap<>();
        for (String json : values(store)) {
            try {
                LaneRegistered lane = EventJson.read(json, LaneRegistered.class);
                latest.merge(lane.slug(), lane, (a, b) -> a.version() >= b.version() ? a : b);
            } catch (EventJson.UnreadableEventException e) {
                LOG.warnf("Skipping an unreadable record of apex.lanes: %s", e.getMessage());
            }
        }
        return latest;
    }

    static List<PromptIngested> latestPrompts(ReadOnlyKeyValueStore<String, String> store) {
        Map<String, PromptIngested> latest = new HashMap<>();
        for (String json : values(store)) {
            try {
                PromptIngested prompt = EventJson.read(json, PromptIngested.class);
                latest.merge(prompt.promptId(), prompt, (a, b) -> a.version() >= b.version() ? a : b);
            } catch (EventJson.UnreadableEventException e) {
                LOG.warnf("Skipping an unreadable record of apex.prompts: %s", e.getMessage());
            }
        }
        return new ArrayList<>(latest.values());
    }

    private static List<String> values(ReadOnlyKeyValueStore<String, String> store) {
        List<String> values = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                values.add(kv.value);
            }
        }
        return values;
    }
}
