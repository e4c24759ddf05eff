package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/**
 * The run command, published to {@link Topics#RUN_COMMANDS} by the CLI or any Kafka producer. Its JSON is
 * a public contract: everything but {@code runId} and a lane choice is optional and gets the default
 * written here, so a hand-written command stays short.
 */
public record RunRequested(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        List<String> conditionSlugs,
        Boolean allLanes,
        RunMode mode,
        Boolean verifyFirst,
        Boolean dryRun,
        Integer limit,
        Integer replicates,
        Boolean cache,
        String createdBy,
        String notes,
        List<String> promptIds) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    public RunRequested {
        schemaVersion = schemaVersion <= 0 ? SCHEMA_VERSION : schemaVersion;
        conditionSlugs = conditionSlugs == null ? List.of() : List.copyOf(conditionSlugs);
        promptIds = promptIds == null ? List.of() : List.copyOf(promptIds);
        allLanes = allLanes != null && allLanes;
        mode = mode == null ? RunMode.BATCH : mode;
        verifyFirst = verifyFirst != null && verifyFirst;
        dryRun = dryRun != null && dryRun;
        replicates = replicates == null ? 1 : replicates;
        cache = cache == null || cache;
    }

    @Override
    public String key() {
        return runId;
    }
}
