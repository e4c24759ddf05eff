package io.apexaudition.viewer.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Orders a prompt's outputs for blind reading. The order is shuffled so position says nothing about the lane, and
 * seeded by (run, prompt) so that every reader, every reload and a revealed view show the same order and the same
 * labels: a reader can come back to "Lane C" and find the same text.
 */
public final class BlindShuffler {

    private BlindShuffler() {
    }

    /** The outputs (in any order) shuffled with the (run, prompt) seed, labelled Lane A, Lane B, ... in that order. */
    public static List<LaneOutput> shuffle(String runId, String promptId, List<LaneOutput> outputs) {
        List<LaneOutput> ordered = new ArrayList<>(outputs);
        // a canonical order first: the shuffle must not depend on the order the database returned the rows in
        ordered.sort(Comparator.comparing((LaneOutput o) -> String.valueOf(o.laneId()))
                .thenComparing(o -> o.replicate() == null ? 0 : o.replicate())
                .thenComparing(o -> String.valueOf(o.generationId())));
        Collections.shuffle(ordered, new Random(seed(runId, promptId)));
        List<LaneOutput> labelled = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            labelled.add(ordered.get(i).labelled("Lane " + letters(i)));
        }
        return labelled;
    }

    static long seed(String runId, String promptId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((runId + "\u0000" + promptId).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A, B, ..., Z, AA, AB, ...: spreadsheet column names, so any number of lanes gets a label. */
    static String letters(int index) {
        StringBuilder s = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            int r = (n - 1) % 26;
            s.insert(0, (char) ('A' + r));
            n = (n - 1) / 26;
        }
        return s.toString();
    }
}
