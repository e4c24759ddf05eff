package io.apexaudition.events;

import java.time.Instant;

/**
 * One version of a prompt ("context package"). Changed content is a new version; earlier versions stay
 * what the runs that used them saw. {@code sharedContext} is the long prefix that prompt caching reuses.
 */
public record PromptIngested(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String promptId,
        int version,
        String contentHash,
        String title,
        String genre,
        String text,
        String sharedContext) implements ApexEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return Keys.versioned(promptId, version);
    }
}
