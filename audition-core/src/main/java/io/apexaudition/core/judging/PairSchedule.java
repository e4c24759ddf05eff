package io.apexaudition.core.judging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which lanes meet on one prompt. All pairs of 15 lanes are 105 pairs, 210 judge calls per prompt; a sparse
 * schedule has each lane meet {@code degree} others (one lane may meet {@code degree + 1}) and keeps the
 * comparison graph connected, which is what a Bradley–Terry fit needs to put every lane on one scale. The lanes
 * are shuffled by a seed (run id and prompt id), so different prompts pair different lanes and a replay of the
 * same run plans the same pairs.
 */
public final class PairSchedule {
    private PairSchedule() {
    }

    /** The seed of one prompt's schedule in one run. */
    public static String seed(String runId, String promptId) {
        return runId + '\n' + promptId;
    }

    /**
     * The pairs of {@code lanes} to judge, sorted: all pairs when there are at most {@code degree + 1} lanes;
     * otherwise a connected graph in which every lane has {@code degree} or {@code degree + 1} partners. The
     * order the lanes are given in does not matter, only the seed does.
     *
     * @throws IllegalArgumentException when degree is below 1 or a lane is null or named twice
     */
    public static List<LanePair> plan(Collection<String> lanes, int degree, String seed) {
        if (degree < 1) {
            throw new IllegalArgumentException("each lane must meet at least one other, not " + degree);
        }
        Set<String> distinct = new TreeSet<>();
        for (String lane : lanes) {
            if (lane == null || !distinct.add(lane)) {
                throw new IllegalArgumentException("lanes must be distinct and not null: " + lanes);
            }
        }
        List<String> order = new ArrayList<>(distinct);
        int n = order.size();
        Set<LanePair> pairs = new TreeSet<>();
        if (n <= degree + 1) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    pairs.add(LanePair.of(order.get(i), order.get(j)));
                }
            }
            return List.copyOf(pairs);
        }
        shuffle(order, Seeds.random(seed));
        if (degree == 1) {
            // a path: the only connected graph where every lane has one or two partners
            for (int i = 0; i + 1 < n; i++) {
                pairs.add(LanePair.of(order.get(i), order.get(i + 1)));
            }
            return List.copyOf(pairs);
        }
        // A circulant graph on the shuffled ring: offsets 1..degree/2 give every lane exactly 2*(degree/2)
        // partners, and offset 1 alone is a ring, so the graph is connected. n >= degree + 2 keeps the offsets
        // distinct from each other and from n - offset, so no pair is added twice.
        for (int offset = 1; offset <= degree / 2; offset++) {
            for (int i = 0; i < n; i++) {
                pairs.add(LanePair.of(order.get(i), order.get((i + offset) % n)));
            }
        }
        if (degree % 2 == 1) {
            // An odd degree adds a matching across the ring (offset n/2, beyond every offset used above). With an
            // odd number of lanes one lane is left out of it and meets the lane half way round, which then has
            // degree + 1 partners: n * degree is odd, so no schedule can give every lane exactly degree.
            int half = n / 2;
            for (int i = 0; i < half; i++) {
                pairs.add(LanePair.of(order.get(i), order.get(i + half)));
            }
            if (n % 2 == 1) {
                pairs.add(LanePair.of(order.get(half), order.get(n - 1)));
            }
        }
        return List.copyOf(pairs);
    }

    /** Every pair in both orders: what is sent to the judge. */
    public static List<Matchup> matchups(List<LanePair> pairs) {
        List<Matchup> matchups = new ArrayList<>(pairs.size() * 2);
        for (LanePair pair : pairs) {
            matchups.addAll(pair.orders());
        }
        return matchups;
    }

    /** Whether every lane named by a pair can reach every other through pairs (true for no lanes or one). */
    public static boolean connected(Collection<String> lanes, List<LanePair> pairs) {
        Set<String> all = new HashSet<>(lanes);
        if (all.size() <= 1) {
            return true;
        }
        Set<String> reached = new HashSet<>();
        List<String> frontier = new ArrayList<>(List.of(all.iterator().next()));
        reached.addAll(frontier);
        while (!frontier.isEmpty()) {
            String lane = frontier.remove(frontier.size() - 1);
            for (LanePair pair : pairs) {
                if (pair.has(lane)) {
                    String other = pair.first().equals(lane) ? pair.second() : pair.first();
                    if (reached.add(other)) {
                        frontier.add(other);
                    }
                }
            }
        }
        return reached.containsAll(all);
    }

    // Fisher–Yates written out rather than Collections.shuffle, so the permutation for a seed is this code's.
    private static void shuffle(List<String> list, Random random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swap);
        }
    }
}
