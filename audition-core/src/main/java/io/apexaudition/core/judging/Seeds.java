package io.apexaudition.core.judging;

import io.apexaudition.core.Hashes;

import java.util.Random;

/** Seeded randomness that a replay reproduces: the same seed text gives the same sequence on any JVM. */
final class Seeds {
    private Seeds() {
    }

    /** java.util.Random, not SplittableRandom: its algorithm is specified, so a seed means the same on any JDK. */
    static Random random(String seed) {
        String hex = Hashes.sha256(seed);
        return new Random(Long.parseUnsignedLong(hex.substring(0, 16), 16));
    }
}
