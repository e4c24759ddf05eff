package io.apexaudition.planner.messaging;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store identical to its topic. It stores records as they are (no parsing) because Kafka
 * Streams restores global stores from the topic without calling this processor; both paths must agree.
 * Unreadable values are found, and reported, when a run looks them up.
 */
class CatalogStoreUpdater implements Processor<String, String, Void, Void> {
    private final String storeName;
    private KeyValueStore<String, String> store;

    CatalogStoreUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
