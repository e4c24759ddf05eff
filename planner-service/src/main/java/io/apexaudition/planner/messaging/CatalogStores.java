package io.apexaudition.planner.messaging;

import io.apexaudition.events.LaneRegistered;
import io.apexaudition.events.PromptIngested;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.List;
import java.util.Map;

/** Reads the latest registered lanes and prompts from the running topology's global stores. */
@ApplicationScoped
public class CatalogStores {
    private final KafkaStreams streams;

    public CatalogStores(KafkaStreams streams) {
        this.streams = streams;
    }

    public Map<String, LaneRegistered> lanes() {
        return Catalog.latestLanes(store(PlannerTopology.LANES_STORE));
    }

    public List<PromptIngested> prompts() {
        return Catalog.latestPrompts(store(PlannerTopology.PROMPTS_STORE));
    }

    /** Whether the global store already holds this key (that is, the planner itself will see it). */
    public boolean contains(String storeName, String key) {
        return store(storeName).get(key) != null;
    }

    private ReadOnlyKeyValueStore<String, String> store(String name) {
        if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
            throw new IllegalStateException("the planner's Kafka Streams application is " + streams.state()
                    + ", not yet running: retry in a few seconds");
        }
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }
}
