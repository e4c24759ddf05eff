package io.apexaudition.simulator.domain;

import java.util.SplittableRandom;

/** Consumes a seeded random and a target size; produces plausible prose (a title line, then paragraphs). */
public final class TextGenerator {
    private static final String[] WORDS = ("the a of and in to with under over beyond beneath across river lantern "
            + "harbor winter orchard silence memory glass salt ember thread window garden letter stone moon "
            + "morning evening tide field bridge signal wire ash cedar copper quiet distant hollow bright slow "
            + "brief patient restless golden pale narrow open hidden broken careful gentle walked carried "
            + "remembered folded watched whispered kept returned waited listened turned gathered answered "
            + "crossed lit mended followed her his their our every each small old new last first long short "
            + "road door rain snow light dark voice hand name house city shore island map clock bell song "
            + "story promise question answer reason season year night day hour minute room table chair "
            + "book page word ink paper window sister brother mother father stranger neighbor keeper "
            + "sailor baker teacher child friend while because until although before after when where").split(" ");

    private TextGenerator() {
    }

    /** Prose of at least {@code targetChars} characters, cut back to about that size at a word boundary. */
    public static String compose(SplittableRandom random, int targetChars) {
        int target = Math.max(targetChars, 40);
        StringBuilder sb = new StringBuilder(target + 200);
        sb.append(capitalize(word(random))).append(' ').append(capitalize(word(random))).append(' ')
                .append(capitalize(word(random))).append("\n\n");
        while (sb.length() < target) {
            int sentences = 3 + random.nextInt(5);
            for (int s = 0; s < sentences && sb.length() < target; s++) {
                int words = 8 + random.nextInt(13);
                sb.append(capitalize(word(random)));
                for (int w = 1; w < words; w++) {
                    sb.append(random.nextInt(12) == 0 ? ", " : " ").append(word(random));
                }
                sb.append(". ");
            }
            sb.setLength(sb.length() - 1);
            sb.append("\n\n");
        }
        return truncate(sb.toString().strip(), target);
    }

    /** At most {@code maxChars} characters, ending on a whole word. */
    public static String truncate(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        if (maxChars <= 0) {
            return "";
        }
        int cut = text.lastIndexOf(' ', maxChars);
        return (cut > 0 ? text.substring(0, cut) : text.substring(0, maxChars)).strip();
    }

    private static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static String capitalize(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }
}
