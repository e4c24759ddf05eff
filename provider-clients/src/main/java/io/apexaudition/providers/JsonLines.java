package io.apexaudition.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.apexaudition.events.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a JSON Lines body (a provider's batch results) one line at a time as it arrives: at most one line is held
 * in memory, never the body. Blank lines are skipped. A line that is not JSON, or longer than the limit (read past,
 * never held), is handed on as unreadable with the reason, and reading goes on with the next line: one bad line
 * does not cost the rest of the file.
 */
public final class JsonLines {
    private static final int CHUNK = 64 * 1024;
    private static final int ECHO_BYTES = 300;

    /** What the lines are handed to, in order. */
    public interface Handler {
        void line(JsonNode json);

        /** Line {@code number} (from 1) could not be read; {@code why} may echo the start of it. */
        void unreadable(long number, String why);
    }

    private final int maxLineBytes;
    private final Handler handler;
    private byte[] line = new byte[16 * 1024];
    private int length;
    private boolean overlong;
    private long number;

    private JsonLines(int maxLineBytes, Handler handler) {
        this.maxLineBytes = maxLineBytes;
        this.handler = handler;
    }

    /** Reads {@code body} to its end; returns how many lines it had. IO failures of the body are thrown as they are. */
    public static long read(InputStream body, int maxLineBytes, Handler handler) throws IOException {
        JsonLines lines = new JsonLines(maxLineBytes, handler);
        byte[] chunk = new byte[CHUNK];
        for (int n; (n = body.read(chunk)) != -1; ) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    lines.append(chunk, start, i - start);
                    lines.end();
                    start = i + 1;
                }
            }
            lines.append(chunk, start, n - start);
        }
        if (lines.length > 0 || lines.overlong) {
            lines.end();
        }
        return lines.number;
    }

    private void append(byte[] bytes, int from, int count) {
        if (overlong || count == 0) {
            return;
        }
        if (length + count > maxLineBytes) {
            // too long to be one result: keep only its start, for the echo, and skip to the next line
            int kept = Math.max(0, Math.min(count, ECHO_BYTES - length));
            System.arraycopy(bytes, from, line, length, kept);
            length += kept;
            overlong = true;
            return;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + count)));
        }
        System.arraycopy(bytes, from, line, length, count);
        length += count;
    }

    private void end() {
        number++;
        try {
            if (overlong) {
                handler.unreadable(number, "is longer than " + maxLineBytes + " bytes: " + echo());
                return;
            }
            if (blank()) {
                return;
            }
            JsonNode json;
            try {
                json = EventJson.mapper().readTree(line, 0, length);
            } catch (IOException e) {
                // parsing bytes in memory: every IOException here is the line's own fault
                handler.unreadable(number, "is not JSON: " + echo());
                return;
            }
            handler.line(json);
        } finally {
            length = 0;
            overlong = false;
            if (line.length > 1024 * 1024) {
                line = new byte[16 * 1024];
            }
        }
    }

    private boolean blank() {
        for (int i = 0; i < length; i++) {
            if (!Character.isWhitespace(line[i])) {
                return false;
            }
        }
        return true;
    }

    private String echo() {
        int n = Math.min(length, ECHO_BYTES);
        return new String(line, 0, n, StandardCharsets.UTF_8) + (length > n || overlong ? "..." : "");
    }
}
