package io.apexaudition.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the OS processes tests start (services, brokers): politely first, then by force. */
final class Processes {
    private Processes() {
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}. */
    static void stop(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGKILL, and wait until it is gone. */
    static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
