package io.apexaudition.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One topic: its name, what its key is, how many partitions, and whether it keeps history (an event
 * topic, never deleted by time) or only the latest value per key (a compacted entity topic).
 */
public record TopicSpec(
        String name,
        String key,
        int partitions,
        CleanupPolicy cleanupPolicy,
        List<Class<? extends ApexEvent>> events,
        String writer) {

    public enum CleanupPolicy {
        /** Event history: kept forever, so the tables can always be rebuilt by replay. */
        EVENTS,
        /** Entity topic: compacted by key. */
        COMPACTED,
        /**
         * A service's working state, compacted by key, whose entries are deleted (a tombstone) once settled: reading
         * it costs what is live plus what was deleted lately, never the history. Segments roll hourly and are
         * cleaned once a tenth of them is dead; a tombstone stays an hour, long enough for a reader that saw its
         * entry to see it too (a restore reads a partition in seconds).
         */
        STATE
    }

    /** The topic-level configuration to create the topic with (Kafka property names). */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        if (cleanupPolicy == CleanupPolicy.COMPACTED) {
            config.put("cleanup.policy", "compact");
            config.put("min.compaction.lag.ms", "60000");
        } else if (cleanupPolicy == CleanupPolicy.STATE) {
            config.put("cleanup.policy", "compact");
            config.put("segment.ms", "3600000");
            config.put("min.cleanable.dirty.ratio", "0.1");
            config.put("delete.retention.ms", "3600000");
        } else {
            config.put("cleanup.policy", "delete");
            config.put("retention.ms", "-1");
            config.put("retention.bytes", "-1");
        }
        config.put("min.insync.replicas", "1");
        config.put("max.message.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES));
        return config;
    }
}
