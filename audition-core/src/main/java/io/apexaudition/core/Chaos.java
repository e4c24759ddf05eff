package io.apexaudition.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Kill points for the crash tests ({@code scripts/chaos.sh}, {@code CrashRecoveryIT}): when
 * {@code APEX_CHAOS_HALT_AT} names a point, the process halts there the first time it passes it, exactly like a
 * SIGKILL (no shutdown hook, nothing flushed). Off unless that variable is set; the marker file
 * ({@code APEX_CHAOS_MARKER}) makes it fire once, so the restarted process goes on.
 */
public final class Chaos {
    public static final String DISPATCHER_AFTER_SUBMIT = "dispatcher-after-submit";
    /** After a batch intent is committed, before its create is sent. */
    public static final String DISPATCHER_BEFORE_CREATE = "dispatcher-before-create";
    /** A synchronous call answered (and billed), its result not yet committed. */
    public static final String DISPATCHER_DURING_SYNC = "dispatcher-during-sync";
    /** A verify-first call answered (and billed), its result not yet committed. */
    public static final String DISPATCHER_DURING_VERIFY = "dispatcher-during-verify";
    /** Inside the poller's results transaction: every result sent to the broker, nothing committed. */
    public static final String POLLER_MID_RESULTS = "poller-mid-results";

    private Chaos() {
    }

    public static void haltIf(String point) {
        String armed = System.getenv("APEX_CHAOS_HALT_AT");
        if (armed == null || !armed.equals(point)) {
            return;
        }
        String marker = System.getenv("APEX_CHAOS_MARKER");
        if (marker != null) {
            Path file = Path.of(marker);
            try {
                // created or refused in one step: two instances armed with one marker cannot both halt
                Files.writeString(file, point, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                return; // halted here once already (or the marker cannot be written): run on
            }
        }
        System.err.println("CHAOS: halting at " + point);
        Runtime.getRuntime().halt(137);
    }
}
