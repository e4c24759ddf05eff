package io.apexaudition.cli;

import java.util.Locale;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The CLI's own log ({@code io.apexaudition} loggers, java.util.logging) on standard error, at the level of
 * {@code --log-level}. The libraries the CLI uses stay silent (slf4j-nop); the services take their level from
 * {@code APEX_LOG_LEVEL} ({@code ./apex up --log-level LEVEL}).
 */
final class CliLog {
    static final String ROOT = "io.apexaudition";
    private static final Map<String, Level> LEVELS = Map.of("DEBUG", Level.FINE, "INFO", Level.INFO,
            "WARN", Level.WARNING, "ERROR", Level.SEVERE);
    /** Held so the configured logger is not collected (java.util.logging keeps loggers weakly). */
    private static final Logger CONFIGURED = Logger.getLogger(ROOT);

    private CliLog() {
    }

    /** Sets the level of the CLI's log: DEBUG, INFO, WARN or ERROR (any case). */
    static void level(String name) {
        Level level = LEVELS.get(name == null ? "" : name.toUpperCase(Locale.ROOT));
        if (level == null) {
            throw new IllegalArgumentException("--log-level '" + name + "' is not one of DEBUG, INFO, WARN, ERROR");
        }
        for (var handler : CONFIGURED.getHandlers()) {
            CONFIGURED.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler(); // standard error
        handler.setLevel(level);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                return "apex " + label(r.getLevel()) + ": " + formatMessage(r) + System.lineSeparator();
            }
        });
        CONFIGURED.addHandler(handler);
        CONFIGURED.setUseParentHandlers(false);
        CONFIGURED.setLevel(level);
    }

    private static String label(Level level) {
        return LEVELS.entrySet().stream().filter(e -> e.getValue().intValue() <= level.intValue())
                .max(Map.Entry.comparingByValue(java.util.Comparator.comparingInt(Level::intValue)))
                .map(Map.Entry::getKey).orElse("DEBUG");
    }
}
