package io.apexaudition.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks text a person typed (run commands, lane descriptions, prompts) before anything stores it. Postgres
 * refuses a NUL in text and a lone UTF-16 surrogate has no UTF-8 form, so either would fail the recorder's write
 * long after the command was accepted; control characters in an id break keys, logs and terminals. Refusing them
 * at the door names the field and the fix while the sender is still there to read it.
 */
public final class TextChecks {
    /** Ids, slugs and names: run ids, lane slugs, prompt ids, retry ids, createdBy. */
    public static final int MAX_ID_CHARS = 200;
    /** A run's notes. */
    public static final int MAX_NOTES_CHARS = 10_000;

    private TextChecks() {
    }

    /**
     * An id, slug or name: no control character at all, no lone surrogate, at most {@link #MAX_ID_CHARS}.
     *
     * @return the problem, naming {@code field} and the fix; empty when the value is fine or null (whether a
     * value is required is the caller's rule)
     */
    public static Optional<String> identifier(String field, String value) {
        return check(field, value, MAX_ID_CHARS, false);
    }

    /** Free text (notes, a prompt): as {@link #identifier} but tab, newline and carriage return are allowed. */
    public static Optional<String> prose(String field, String value, int maxChars) {
        return check(field, value, maxChars, true);
    }

    /**
     * The value as a message or a table may show it: control characters and lone surrogates written as
     * {@code \\uXXXX}, cut (never inside a surrogate pair) to about {@code maxChars} with "..." after the cut.
     */
    public static String printable(String value, int maxChars) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (out.length() >= maxChars) {
                return out.append("...").toString();
            }
            char c = value.charAt(i);
            if (pairAt(value, i)) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Optional<String> check(String field, String value, int maxChars, boolean prose) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() > maxChars) {
            return Optional.of(String.format(Locale.ROOT, "%s is %,d characters long, over the %,d allowed: "
                    + "shorten it", field, value.length(), maxChars));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (pairAt(value, i)) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format(Locale.ROOT, "%s holds a lone UTF-16 surrogate (U+%04X) at "
                        + "character %d, half of a character that was cut or mis-encoded: send the text as valid "
                        + "UTF-8", field, (int) c, i + 1));
            } else if (Character.isISOControl(c) && !(prose && (c == '\t' || c == '\n' || c == '\r'))) {
                return Optional.of(String.format(Locale.ROOT, "%s holds the control character %s at character "
                        + "%d: remove it (%s)", field, name(c), i + 1, prose
                        ? "only tab, newline and carriage return may appear in " + field
                        : field + " may hold no control character at all"));
            }
        }
        return Optional.empty();
    }

    private static boolean pairAt(String value, int i) {
        return Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
    }

    private static String name(char c) {
        String code = String.format(Locale.ROOT, "U+%04X", (int) c);
        return c == 0 ? code + " (NUL)" : code;
    }
}
