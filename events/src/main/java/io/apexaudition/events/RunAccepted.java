package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/** The planner accepted a run command; exactly {@code expectedGenerations} requests follow it. */
public record RunAccepted(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        RunMode mode,
        boolean verifyFirst,
        boolean dryRun,
        boolean cache,
        Integer limit,
        int replicates,
        String createdBy,
        String notes,
        List<PlannedLane> lanes,
        List<String> promptIds,
        int expectedGenerations) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    public RunAccepted {
        lanes = lanes == null ? List.of() : List.copyOf(lanes);
        promptIds = promptIds == null ? List.of() : List.copyOf(promptIds);
    }

    @Override
    public String key() {
        return runId;
    }
}
