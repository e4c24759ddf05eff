package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/**
 * The provider accepted a batch. {@code entries} map every custom id to its generation, which is all the
 * poller needs to turn the batch's result lines back into generations.
 */
public record BatchSubmitted(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String batchId,
        String provider,
        String runId,
        String model,
        String intentId,
        String inputFileId,
        List<BatchEntry> entries) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    public BatchSubmitted {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** Keyed by intent, like its {@link DispatchIntended}, so both land in one partition, in order. */
    @Override
    public String key() {
        return intentId;
    }
}
