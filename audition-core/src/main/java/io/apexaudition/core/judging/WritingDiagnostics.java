package io.apexaudition.core.judging;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    /** What a word is; {@link #words} finds its matches by a scan. */
    static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’\\-][\\p{L}\\p{N}]+)*");
    private static final Pattern LEADING = Pattern.compile("^[\\s#*_>]+");

    /** The diagnostics of {@code output}, written for {@code promptText}. */
    public static WritingDiagnostics of(String promptText, String output, String finishReason) {
        String text = output == null ? "" : output;
        List<String> words = words(text);
        RequestedLength requested = RequestedLength.in(promptText).orElse(null);
        Double ratio = requested == null || requested.target() <= 0 ? null : words.size() / requested.target();
        Boolean within = requested == null ? null : requested.admits(words.size());
        return new WritingDiagnostics(words.size(), requested, ratio, within, repetition(words), refusal(text),
                finishReason);
    }

    /**
     * The output's words, case folded: the matches of {@link #WORD}, found by a scan of the text rather than by the
     * pattern, which took a quarter of the recorder's CPU in a 100,000-generation audition (docs/benchmarks.md);
     * {@code WritingDiagnosticsPropertyTest} holds the scan to the pattern.
     */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int n = text.length();
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
            words.add(text.substring(start, i).toLowerCase(Locale.ROOT).replace('’', '\''));
        }
        return words;
    }

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

    static double repetition(List<String> words) {
        int grams = words.size() - 2;
        if (grams <= 0) {
            return 0;
        }
        Set<Trigram> seen = new HashSet<>(grams * 2);
        int repeated = 0;
        for (int i = 0; i < grams; i++) {
            if (!seen.add(new Trigram(words.get(i), words.get(i + 1), words.get(i + 2)))) {
                repeated++;
            }
        }
        return (double) repeated / grams;
    }

    /**
     * Three words, compared exactly, hashed with a mix of their (cached) hashes: sub-lists of the word list hashed
     * as lists put many 3-grams of short words in one bucket.
     */
    private record Trigram(String a, String b, String c) {
        @Override
        public int hashCode() {
            long h = a.hashCode() * 0x9E3779B97F4A7C15L + b.hashCode();
            h = h * 0x9E3779B97F4A7C15L + c.hashCode();
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            return (int) (h ^ (h >>> 32));
        }
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
