package io.apexaudition.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log record a service in this JVM (a {@code @QuarkusTest}) writes while it is open, message and parameters,
 * so a test can show that something (a secret) never reached a log.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();

    private LogCapture() {
    }

    /** Starts capturing at the root logger. */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        Throwable thrown = record.getThrown();
        lines.add(record.getLoggerName() + " " + record.getMessage() + " " + Arrays.toString(record.getParameters())
                + (thrown == null ? "" : " " + thrown));
    }

    /** What was logged so far, one line per record. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
