package io.apexaudition.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids. A generation id is derived from what it is (run, lane, prompt, replicate), so a
 * fan-out that is repeated or replayed names the same generations and every write keyed by it is
 * idempotent.
 */
public final class EventIds {
    private static final java.util.regex.Pattern CUSTOM_ID = java.util.regex.Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

    private EventIds() {
    }

    public static String newEventId() {
        return UUID.randomUUID().toString();
    }

    public static String newRunId() {
        return "run-" + UUID.randomUUID();
    }

    public static String generationId(String runId, String conditionSlug, String promptId, int replicate) {
        return nameUuid("generation", runId, conditionSlug, promptId, Integer.toString(replicate));
    }

    /** Valid for both providers ({@code ^[a-zA-Z0-9_-]{1,64}$}): no dots, no colons, 36 characters. */
    public static String customId(String generationId, int attempt) {
        return "g" + generationId.replace("-", "") + "-a" + attempt;
    }

    public static boolean isValidCustomId(String customId) {
        return customId != null && CUSTOM_ID.matcher(customId).matches();
    }

    public static String nameUuid(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
