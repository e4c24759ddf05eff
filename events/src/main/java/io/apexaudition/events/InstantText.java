package io.apexaudition.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Writes and reads an {@link Instant} as {@link DateTimeFormatter#ISO_INSTANT} text, character for character, without
 * going through {@code DateTimeFormatter}.
 *
 * <p>Why: every event carries an {@code occurredAt}, so every event written or read formats or parses one.
 * {@code ISO_INSTANT} does it through a general printer-parser whose compiled form is large: a profile of the
 * dispatcher (docs/benchmarks.md, session 16) found its C2 compile taking 2.99 s of CPU, again after each idle
 * spell, as the JDK's code-cache sweeper flushes it. This class does the common case, years 0000 to 9999 in the
 * form {@code ISO_INSTANT} itself prints, with plain arithmetic; every other case (another year, an offset, a leap
 * second, hour 24, anything malformed) is left to {@code ISO_INSTANT}, so the text written and the instants read are
 * the same as before (a property test compares the two on generated input).
 */
public final class InstantText {
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: ISO_INSTANT prints a sign and more digits outside them. */
    private static final long MIN_SECOND = -62_167_219_200L;
    private static final long MAX_SECOND = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;
    /** "yyyy-MM-ddTHH:mm:ss" */
    private static final int BASE_LENGTH = 19;

    private InstantText() {
    }

    /** The instant as ISO_INSTANT prints it: {@code 2026-12-03T16:01:01.123Z}. */
    public static String format(Instant instant) {
        char[] text = new char[BASE_LENGTH + 11];
        int length = format(instant, text);
        return length < 0 ? DateTimeFormatter.ISO_INSTANT.format(instant) : new String(text, 0, length);
    }

    /**
     * Writes the instant into {@code text} (at least 30 long), returning how many characters it took, or -1 when
     * the instant lies outside the years 0000 to 9999 and ISO_INSTANT must print it.
     */
    public static int format(Instant instant, char[] text) {
        long second = instant.getEpochSecond();
        if (second < MIN_SECOND || second > MAX_SECOND) {
            return -1;
        }
        long day = Math.floorDiv(second, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        int year = date.getYear();
        text[0] = digit(year / 1000);
        text[1] = digit(year / 100 % 10);
        text[2] = digit(year / 10 % 10);
        text[3] = digit(year % 10);
        text[4] = '-';
        two(text, 5, date.getMonthValue());
        text[7] = '-';
        two(text, 8, date.getDayOfMonth());
        text[10] = 'T';
        two(text, 11, secondOfDay / 3600);
        text[13] = ':';
        two(text, 14, secondOfDay / 60 % 60);
        text[16] = ':';
        two(text, 17, secondOfDay % 60);
        int at = BASE_LENGTH;
        int nano = instant.getNano();
        if (nano != 0) {
            // ISO_INSTANT prints the fraction in groups of three digits, as many groups as it needs
            int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
            text[at++] = '.';
            for (int i = digits - 1; i >= 0; i--) {
                text[at + i] = digit(value % 10);
                value /= 10;
            }
            at += digits;
        }
        text[at++] = 'Z';
        return at;
    }

    /**
     * The instant the text names when it is in the form {@link #format} writes ({@code yyyy-MM-ddTHH:mm:ss}, a
     * fraction of 1 to 9 digits or none, {@code Z}) and names a real date and time; otherwise null, and the caller
     * leaves the text to ISO_INSTANT, which reads the other forms it accepts or says what is wrong.
     */
    public static Instant parseOrNull(CharSequence text) {
        int length = text.length();
        if (length < BASE_LENGTH + 1 || length > BASE_LENGTH + 11 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int dayOfMonth = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || dayOfMonth < 1 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59
                || dayOfMonth > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        int nano = 0;
        int end = length - 1;
        if (end > BASE_LENGTH) {
            int digits = end - BASE_LENGTH - 1;
            if (text.charAt(BASE_LENGTH) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int fraction = number(text, BASE_LENGTH + 1, digits);
            if (fraction < 0) {
                return null;
            }
            nano = fraction;
            for (int i = digits; i < 9; i++) {
                nano *= 10;
            }
        }
        long epochDay = LocalDate.of(year, month, dayOfMonth).toEpochDay();
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nano);
    }

    private static char digit(int value) {
        return (char) ('0' + value);
    }

    private static void two(char[] text, int at, int value) {
        text[at] = digit(value / 10);
        text[at + 1] = digit(value % 10);
    }

    /** The decimal number in text[from, from + count), or -1 when a character there is not an ASCII digit. */
    private static int number(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
