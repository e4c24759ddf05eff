package io.apexaudition.dispatcher.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.apexaudition.events.ApexEvent;
import io.apexaudition.events.BatchSubmitted;
import io.apexaudition.events.DispatchIntended;
import io.apexaudition.events.DispatchSettled;
import io.apexaudition.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a dispatcher keeps of one lane group (run, lane, attempt) while any of its requests can still be delivered:
 * the value of its entry in the compacted dispatch state (architecture.md, "Dispatcher state"). Its
 * intents with what became of each (submitted as a batch, settled, or neither: in doubt), and the offset of the
 * group's last request record, which tells when the entry may go. Ids only: no bodies, no prompt texts.
 *
 * @param lastOffset the offset of the group's last request record in its partition
 */
public record LaneGroupState(int schemaVersion, String groupKey, long lastOffset, List<Intent> intents) {
    public static final int SCHEMA_VERSION = 1;

    /** An intent and its fate: a batch id once submitted, a settlement once settled, neither while in doubt. */
    public record Intent(DispatchIntended intended, String batchId, DispatchSettled settlement) {
        /** Seen through: submitted, or settled for good ({@code NOT_CREATED} sends its requests again). */
        public boolean finished() {
            return batchId != null
                    || settlement != null && settlement.resolution() != DispatchSettled.Resolution.NOT_CREATED;
        }

        /** Written, and neither submitted nor settled: only the provider's listing can tell what became of it. */
        public boolean inDoubt() {
            return batchId == null && settlement == null;
        }
    }

    public LaneGroupState {
        schemaVersion = schemaVersion <= 0 ? SCHEMA_VERSION : schemaVersion;
        intents = intents == null ? List.of() : List.copyOf(intents);
    }

    public static LaneGroupState empty(String groupKey, long lastOffset) {
        return new LaneGroupState(SCHEMA_VERSION, groupKey, lastOffset, List.of());
    }

    /** The entry after one of its group's events: an intent written, its batch submitted, or its settlement. */
    public LaneGroupState with(ApexEvent event) {
        List<Intent> next = new ArrayList<>(intents);
        if (event instanceof DispatchIntended i) {
            if (next.stream().noneMatch(x -> x.intended().intentId().equals(i.intentId()))) {
                next.add(new Intent(i, null, null));
            }
        } else if (event instanceof BatchSubmitted b) {
            next.replaceAll(x -> x.intended().intentId().equals(b.intentId())
                    ? new Intent(x.intended(), b.batchId(), x.settlement()) : x);
        } else if (event instanceof DispatchSettled s) {
            next.replaceAll(x -> x.intended().intentId().equals(s.intentId())
                    ? new Intent(x.intended(), x.batchId(), s) : x);
        } else {
            return this;
        }
        return new LaneGroupState(schemaVersion, groupKey, lastOffset, next);
    }

    /**
     * The intent a custom id belongs to: the newest naming it (one sent after an older one was found never created),
     * whatever order the intents were written in.
     */
    public Optional<Intent> intentOf(String customId) {
        return intents.stream().filter(x -> x.intended().customIds().contains(customId))
                .max(Comparator.comparing(x -> x.intended().occurredAt(),
                        Comparator.nullsFirst(Comparator.<Instant>naturalOrder())));
    }

    /** The custom ids of this group already seen through: a redelivery counts them as done (never sent again). */
    public LaneGroup.Finished finished() {
        Set<String> done = new HashSet<>();
        for (Intent x : intents) {
            for (String customId : x.intended().customIds()) {
                if (intentOf(customId).filter(Intent::finished).isPresent()) {
                    done.add(customId);
                }
            }
        }
        return done.isEmpty() ? LaneGroup.Finished.NONE : LaneGroup.Finished.of(done);
    }

    /** The group's intents in doubt, oldest first. */
    public List<DispatchIntended> inDoubt() {
        return intents.stream().filter(Intent::inDoubt).map(Intent::intended)
                .sorted(Comparator.comparing(DispatchIntended::occurredAt,
                        Comparator.nullsFirst(Comparator.<Instant>naturalOrder())))
                .toList();
    }

    /** Every intent is seen through or found never created: nothing in doubt is left. */
    public boolean settled() {
        return intents.stream().noneMatch(Intent::inDoubt);
    }

    public byte[] toBytes() {
        try {
            return EventJson.mapper().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write the state of lane group " + groupKey, e);
        }
    }

    /**
     * Reads an entry. One that cannot be read is an error naming the entry, never skipped: an intent in doubt
     * forgotten would let its requests be paid for again, so a restore that meets one stops that partition.
     */
    public static LaneGroupState read(String key, byte[] value) {
        LaneGroupState state;
        try {
            state = value == null ? null : EventJson.mapper().readValue(value, LaneGroupState.class);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableStateException(key, "not a lane group state (" + e.getMessage() + ")");
        }
        if (state == null) {
            throw new UnreadableStateException(key, "empty");
        }
        if (state.schemaVersion() > SCHEMA_VERSION) {
            throw new UnreadableStateException(key, "schema version " + state.schemaVersion() + ", newer than this "
                    + "dispatcher's " + SCHEMA_VERSION + ": run the dispatcher version that wrote it or a newer one");
        }
        if (!key.equals(state.groupKey()) || state.intents().stream().anyMatch(x -> x == null || x.intended() == null
                || x.intended().intentId() == null)) {
            throw new UnreadableStateException(key, "its group key or an intent id is missing or differs from the key");
        }
        return state;
    }

    /** An entry of the dispatch state that cannot be read: names it, and why. */
    public static final class UnreadableStateException extends IllegalStateException {
        public UnreadableStateException(String key, String problem) {
            super("dispatch state entry '" + key + "' cannot be read: " + problem + ". Its lane group's requests are "
                    + "not dispatched until it is readable, so none is paid for twice");
        }
    }
}
