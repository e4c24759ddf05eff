package io.apexaudition.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The {@code apex_records_parked_total} counter of the dispatchers and the poller (tags consumer and topic, both from
 * short fixed lists): one record parked in {@code apex.dead-letters}. The planner and the recorder count under the
 * same name and tags, each with its own consumer name.
 */
public final class ParkedRecords {
    public static final String NAME = "apex.records.parked";

    private ParkedRecords() {
    }

    public static void count(MeterRegistry registry, String consumer, String topic) {
        Counter.builder(NAME).description("Records a consumer could not use, parked with the reason")
                .tag("consumer", consumer).tag("topic", topic == null ? "unknown" : topic).register(registry)
                .increment();
    }
}
