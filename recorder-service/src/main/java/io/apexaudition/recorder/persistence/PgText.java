package io.apexaudition.recorder.persistence;

/**
 * Text as Postgres can store it. Postgres refuses NUL in {@code text} and UTF-8 has no form for a lone UTF-16
 * surrogate (the driver would silently write {@code ?}); both can come back from a provider (a model may emit
 * NUL) or arrive in a hand-written record. {@link #storable} replaces each such character with U+FFFD, so the row
 * is written and readable; {@link #exact} keeps the original losslessly, as a JSON string literal whose escapes
 * ({@code \u0000}, {@code \ud800}) any JSON parser turns back into the very same characters.
 */
public final class PgText {
    static final char REPLACEMENT = '\uFFFD';

    private PgText() {
    }

    /**
     * The instant at the microsecond Postgres keeps, rounded half up. Both ways rows reach Postgres go through this:
     * the JDBC driver rounds half up, but Postgres's own text input (the rebuild's COPY) rounds half to even, so
     * without it an event at an even microsecond plus exactly 500 ns was stored 1 µs apart by the two paths, and a
     * rebuild did not reproduce the live tables.
     */
    public static java.time.Instant microseconds(java.time.Instant at) {
        int below = at.getNano() % 1000;
        java.time.Instant down = at.minusNanos(below);
        return below >= 500 ? down.plusNanos(1000) : down;
    }

    /** The text with NUL and lone surrogates replaced by U+FFFD; the same instance when it needs nothing. */
    public static String storable(String text) {
        if (text == null || isStorable(text)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                b.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append(REPLACEMENT);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Whether Postgres stores the text exactly as it is. */
    public static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text as a JSON string literal (quotes included) that is itself storable: control characters and lone
     * surrogates escaped as {@code \}{@code uXXXX}, everything else as it is. Null when the text is storable as it
     * is (then the text column is already exact).
     */
    public static String exact(String text) {
        if (text == null || isStorable(text)) {
            return null;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                escape(b, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                escape(b, c);
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static void escape(StringBuilder b, char c) {
        b.append("\\u").append(String.format("%04x", (int) c));
    }
}
