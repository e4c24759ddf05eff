package io.apexaudition.core.judging;

import com.carrotsearch.hppc.LongHashSet;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What can be measured of one output without a judge.
 *
 * @param words           words in the output, title and all (a word: letters or digits, with inner apostrophes or
 *                        hyphens, so "don't" and "well-known" are one)
 * @param requested       the length the prompt asks for, or null when it names none ({@link RequestedLength})
 * @param lengthRatio     words against the requested target (the middle of its window), or null
 * @param withinRequested whether the words are within the requested window, or null
 * @param repetition      the share of the output's word 3-grams (case folded) that repeat an earlier one: 0 for
 *                        no repeat, towards 1 for a loop; 0 below three words
 * @param refusal         whether the output opens with a refusal ({@link #REFUSAL_OPENINGS})
 * @param finishReason    the provider's finish reason, as given (null when unknown)
 */
public record WritingDiagnostics(int words, RequestedLength requested, Double lengthRatio, Boolean withinRequested,
                                 double repetition, boolean refusal, String finishReason) {

    /**
     * Openings that mark a refusal, compared case-insensitively with the start of the output once leading space
     * and markdown (#, *, _, >) are set aside and curly apostrophes made straight. Only explicit refusals: a
     * story may well open with "I'm unable to sleep" or "As an AI, I dreamed", so those are not here. A story that
     * opens with one of these exact words is flagged all the same; the flag is a pointer for a reader, not a
     * verdict.
     */
    public static final List<String> REFUSAL_OPENINGS = List.of(
            "i can't help with", "i cannot help with", "i can't help you with", "i cannot help you with",
            "i can't assist with", "i cannot assist with", "i won't be able to help",
            "i can't comply", "i cannot comply", "i can't fulfill", "i cannot fulfill", "i can't fulfil",
            "i cannot fulfil",
            "i'm sorry, but i can't", "i'm sorry, but i cannot", "i'm sorry, but i won't", "i am sorry, but i cannot",
            "i'm sorry, i can't", "i'm sorry, i cannot", "sorry, but i can't", "sorry, i can't",
            "as an ai language model", "as an ai assistant", "as an ai, i can't", "as an ai, i cannot");

    /** What a word is; {@link #counts} finds its matches by a scan. */
    static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’\\-][\\p{L}\\p{N}]+)*");
    private static final Pattern LEADING = Pattern.compile("^[\\s#*_>]+");

    /** The diagnostics of {@code output}, written for {@code promptText}. */
    public static WritingDiagnostics of(String promptText, String output, String finishReason) {
        String text = output == null ? "" : output;
        Counts counts = counts(text);
        RequestedLength requested = RequestedLength.in(promptText).orElse(null);
        Double ratio = requested == null || requested.target() <= 0 ? null : counts.words() / requested.target();
        Boolean within = requested == null ? null : requested.admits(counts.words());
        return new WritingDiagnostics(counts.words(), requested, ratio, within, counts.repetition(), refusal(text),
                finishReason);
    }

    /** An output's word count and {@link #repetition}. */
    record Counts(int words, double repetition) {
    }

    /**
     * The words of {@code text} (the matches of {@link #WORD}, case folded, curly apostrophes made straight) counted,
     * and the share of their 3-grams that repeat an earlier one, in one scan of the text. A word is kept as a 64-bit
     * hash of its folded characters and a 3-gram as a hash of its three, in a set of primitive longs: no string, list
     * or tuple per word, which made these counts about a quarter of the recorder's own samples in a profile of its live
     * path (docs/benchmarks.md, session 21). Two different words or 3-grams of one output hashing alike would count
     * one repeat too many; for 100,000 words the odds are about one in 10^9. {@code WritingDiagnosticsPropertyTest}
     * holds both counts to the pattern's words, case folded and compared as lists.
     */
    static Counts counts(String text) {
        int n = text.length();
        // sized for prose (about five chars a word), capped: a long text of few words grows it instead
        LongHashSet seen = new LongHashSet(Math.min(n / 5, 16_384));
        int words = 0;
        int repeated = 0;
        long previous = 0;
        long beforePrevious = 0;
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isWordChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            i = afterRun(text, i);
            // a joiner belongs to the word only when a letter or digit follows it
            while (i < n && isJoiner(text.charAt(i)) && i + 1 < n && isWordChar(text.codePointAt(i + 1))) {
                i = afterRun(text, i + 1);
            }
            long word = foldedHash(text, start, i);
            if (++words >= 3 && !seen.add(trigram(beforePrevious, previous, word))) {
                repeated++;
            }
            beforePrevious = previous;
            previous = word;
        }
        return new Counts(words, words < 3 ? 0 : (double) repeated / (words - 2));
    }

    /**
     * The hash of {@code text[start, end)} as {@code toLowerCase(Locale.ROOT)} and then {@code ’} to {@code '} would
     * write it: Latin-1 (and {@code ’}) folded char by char, where lower-casing maps one char to one, anything else
     * folded as a string, since there it is not always one for one (a final sigma, a dotted capital I).
     */
    private static long foldedHash(String text, int start, int end) {
        long h = FNV_OFFSET;
        for (int k = start; k < end; k++) {
            char c = text.charAt(k);
            if (c > 0xFF && c != '\u2019') {
                return foldedHash(text.substring(start, end).toLowerCase(Locale.ROOT).replace('\u2019', '\''));
            }
            h = (h ^ fold(c)) * FNV_PRIME;
        }
        return mix(h);
    }

    private static long foldedHash(String folded) {
        long h = FNV_OFFSET;
        for (int k = 0; k < folded.length(); k++) {
            h = (h ^ folded.charAt(k)) * FNV_PRIME;
        }
        return mix(h);
    }

    private static char fold(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return c == '\u2019' ? '\'' : Character.toLowerCase(c);
    }

    private static long trigram(long a, long b, long c) {
        return mix((a * GOLDEN + b) * GOLDEN + c);
    }

    /** SplitMix64's finalizer: every bit of the input moves about half the bits of the output. */
    private static long mix(long h) {
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** The index after the run of letters and digits that starts at {@code i}. */
    private static int afterRun(String text, int i) {
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!isWordChar(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** {@code [\\p{L}\\p{N}]}: a letter, or a number of any kind (decimal, letter-like, other). */
    private static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    private static boolean isJoiner(char c) {
        return c == '\'' || c == '\u2019' || c == '-';
    }

    static boolean refusal(String text) {
        String opening = LEADING.matcher(text).replaceFirst("");
        opening = opening.substring(0, Math.min(opening.length(), 80)).replace('’', '\'').toLowerCase(Locale.ROOT);
        for (String phrase : REFUSAL_OPENINGS) {
            if (opening.startsWith(phrase)) {
                return true;
            }
        }
        return false;
    }
}
