package io.apexaudition.dispatcher.messaging;

import io.apexaudition.dispatcher.domain.LaneGroupState;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Map;
import java.util.function.Function;

/**
 * How a record of {@code apex.dispatch-state.<provider>} is read, in one place: the migration mark, a tombstone (its
 * entry goes), or a lane group's entry ({@link LaneGroupState#read}, which refuses what it cannot read). Used by the
 * restore of owned partitions and by the provider-wide reading of every partition ({@link ProviderLaneStates}).
 */
final class StateRecords {
    private StateRecords() {
    }

    /**
     * Applies one record to {@code held}, the entries kept of its partition as {@code keep} reduces them (a null
     * from {@code keep}: nothing of the entry is kept); the migration mark runs {@code migrated} instead. Throws
     * {@link LaneGroupState.UnreadableStateException} for an entry that cannot be read, leaving {@code held} as it was.
     */
    static <V> void apply(ConsumerRecord<String, byte[]> r, Map<String, V> held, Function<LaneGroupState, V> keep,
                          Runnable migrated) {
        if (OwnedLaneStates.MIGRATED.equals(r.key())) {
            migrated.run();
        } else if (r.value() == null) {
            held.remove(r.key());
        } else {
            V kept = keep.apply(LaneGroupState.read(r.key(), r.value()));
            if (kept == null) {
                held.remove(r.key());
            } else {
                held.put(r.key(), kept);
            }
        }
    }
}
