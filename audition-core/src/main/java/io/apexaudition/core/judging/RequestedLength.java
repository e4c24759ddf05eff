package io.apexaudition.core.judging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The length a prompt asks for, in words: a window with a lower bound, an upper bound or both, and the phrase it
 * was read from. Read from the first phrase in the prompt that names a number of words in digits:
 * "500 to 700 words" (or "between 500 and 700 words", "500-700 words"), "about 1,200 words" (and "around",
 * "approximately", "roughly", or a bare "1,200 words": 10% either side, as the house style guide allows),
 * "exactly 50 words", "under / no more than / at most / up to / fewer than / less than 300 words" (and
 * "300 words or fewer"), "at least / no fewer than / more than / over 300 words". The first phrase, because later
 * ones tend to be about a part ("a stage direction of no more than fifty words"); numbers spelled out in words
 * are not read.
 */
public record RequestedLength(Integer min, Integer max, String phrase) {
    private static final double ABOUT = 0.10;
    // at most nine digits, so the number always fits an int
    private static final String N = "(\\d{1,3}(?:,\\d{3}){1,2}|\\d{1,9})(?![\\d,]\\d)";
    private static final String WORDS = "[\\s-]+words?\\b";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final List<Form> FORMS = List.of(
            new Form(Kind.RANGE, Pattern.compile("\\b(?:between\\s+)?" + N + "\\s*(?:to|and|-|–|—)\\s*" + N + WORDS,
                    FLAGS)),
            new Form(Kind.AT_MOST, Pattern.compile("\\b(?:under|below|no\\s+more\\s+than|not\\s+more\\s+than|at\\s+most"
                    + "|up\\s+to|fewer\\s+than|less\\s+than|(?:a\\s+)?maximum\\s+of|max\\.?)\\s+" + N + WORDS, FLAGS)),
            new Form(Kind.AT_LEAST, Pattern.compile("\\b(?:at\\s+least|no\\s+fewer\\s+than|no\\s+less\\s+than"
                    + "|more\\s+than|over|(?:a\\s+)?minimum\\s+of)\\s+" + N + WORDS, FLAGS)),
            new Form(Kind.EXACTLY, Pattern.compile("\\bexactly\\s+" + N + WORDS, FLAGS)),
            new Form(Kind.ABOUT, Pattern.compile("\\b(?:about|around|approximately|roughly|circa|some)\\s+" + N + WORDS,
                    FLAGS)),
            new Form(Kind.AT_MOST, Pattern.compile("\\b" + N + "\\s+words?\\s+(?:or\\s+(?:fewer|less)|at\\s+most"
                    + "|max(?:imum)?)\\b", FLAGS)),
            new Form(Kind.ABOUT, Pattern.compile("\\b" + N + WORDS, FLAGS)));

    private enum Kind { RANGE, AT_MOST, AT_LEAST, EXACTLY, ABOUT }

    private record Form(Kind kind, Pattern pattern) {
    }

    public RequestedLength {
        if (min == null && max == null) {
            throw new IllegalArgumentException("a requested length has a lower bound, an upper bound or both");
        }
    }

    /** The length a prompt asks for, or empty when it names none. */
    public static Optional<RequestedLength> in(String promptText) {
        if (promptText == null) {
            return Optional.empty();
        }
        Matcher first = null;
        Kind kind = null;
        for (Form form : FORMS) {
            Matcher matcher = form.pattern().matcher(promptText);
            // earliest phrase wins; at the same place the more specific form, listed first
            if (matcher.find() && (first == null || matcher.start() < first.start())) {
                first = matcher;
                kind = form.kind();
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        String phrase = first.group().replaceAll("\\s+", " ");
        int n = number(first.group(1));
        return Optional.of(switch (kind) {
            case RANGE -> new RequestedLength(Math.min(n, number(first.group(2))),
                    Math.max(n, number(first.group(2))), phrase);
            case AT_MOST -> new RequestedLength(null, n, phrase);
            case AT_LEAST -> new RequestedLength(n, null, phrase);
            case EXACTLY -> new RequestedLength(n, n, phrase);
            case ABOUT -> new RequestedLength((int) Math.round(n * (1 - ABOUT)), (int) Math.round(n * (1 + ABOUT)),
                    phrase);
        });
    }

    /** The length aimed at: the middle of a window, else its one bound. */
    public double target() {
        if (min != null && max != null) {
            return (min + max) / 2.0;
        }
        return min != null ? min : max;
    }

    /** Whether {@code words} is within the window, bounds included. */
    public boolean admits(int words) {
        return (min == null || words >= min) && (max == null || words <= max);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s..%s words (\"%s\")", min == null ? "" : min, max == null ? "" : max,
                phrase);
    }

    private static int number(String digits) {
        return Integer.parseInt(digits.replace(",", ""));
    }
}
