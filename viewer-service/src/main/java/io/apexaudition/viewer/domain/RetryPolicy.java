package io.apexaudition.viewer.domain;

import io.apexaudition.events.ErrorKind;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code apex retry RUN_ID} would resend, decided as the CLI's RetryCommand decides it: a generation of a run
 * that was not rejected, in status {@code error}, whose error kind is {@link ErrorKind#retryable()} (expired,
 * canceled, rate limit, server, timeout, unknown outcome, not sent...; never an invalid request, which needs its lane
 * fixed).
 */
public final class RetryPolicy {
    /** The retryable kinds as the database stores them. */
    public static final List<String> RETRYABLE_KINDS = Arrays.stream(ErrorKind.values()).filter(ErrorKind::retryable)
            .map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
    /** Every kind, as the database stores them: an errors filter's choices. */
    public static final List<String> KINDS = Arrays.stream(ErrorKind.values())
            .map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._-]+");

    private RetryPolicy() {
    }

    /** Whether {@code apex retry} would send this generation again. */
    public static boolean wouldResend(String runStatus, String status, String errorKind) {
        return !"rejected".equals(runStatus) && "error".equals(status) && RETRYABLE_KINDS.contains(errorKind);
    }

    /** The command that resends a run's retryable errors, for the given lanes only when some are named. */
    public static String command(String runId, List<String> lanes) {
        StringBuilder c = new StringBuilder("apex retry ").append(shell(runId));
        lanes.forEach(l -> c.append(" --condition-slug ").append(shell(l)));
        return c.toString();
    }

    /** A word as a shell reads it back: ids are letters, digits, '.', '_' and '-'; anything else is single-quoted. */
    static String shell(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
