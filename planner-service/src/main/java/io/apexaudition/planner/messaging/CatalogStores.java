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

    /** Waits (up to 30 s) for the application to run, since a store cannot be queried before. */
    private ReadOnlyKeyValueStore<String, String> store(String name) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (streams.state() == KafkaStreams.State.RUNNING) {
                    return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
                }
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                // migrating during a rebalance: wait like for any other not-yet-running state
            }
            if (System.nanoTime() > deadline) {
                throw new StoresUnavailableException("the planner's Kafka Streams application is " + streams.state()
                        + ", not running: check the planner's health (/q/health) and retry");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoresUnavailableException("interrupted while waiting for the planner's stores");
            }
        }
    }

    /** The stores cannot be read now; the REST layer answers 503. */
    public static class StoresUnavailableException extends RuntimeException {
        public StoresUnavailableException(String message) {
            super(message);
        }
    }
}
