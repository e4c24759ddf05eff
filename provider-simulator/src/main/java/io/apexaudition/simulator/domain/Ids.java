package io.apexaudition.simulator.domain;

import java.util.concurrent.ThreadLocalRandom;

/** Produces identifiers in each provider's style (prefix plus random base62). */
public final class Ids {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    public static String base62(String prefix, int length) {
        return prefix + random(BASE62, length);
    }

    public static String hex(String prefix, int length) {
        return prefix + random(HEX, length);
    }

    private static String random(char[] alphabet, int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet[r.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }
}
