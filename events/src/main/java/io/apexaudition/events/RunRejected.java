package io.apexaudition.events;

import java.time.Instant;
import java.util.List;

/**
 * The planner refused a run command. {@code problems} name each problem and its fix; nothing was planned
 * and nothing will be paid for.
 */
public record RunRejected(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String reason,
        List<String> problems,
        String rawCommand) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    public RunRejected {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    @Override
    public String key() {
        return runId;
    }
}
