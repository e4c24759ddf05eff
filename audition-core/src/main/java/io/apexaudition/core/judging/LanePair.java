package io.apexaudition.core.judging;

import java.util.List;

/** Two lanes to be compared on one prompt, named in sorted order; judged in both {@link #orders()}. */
public record LanePair(String first, String second) implements Comparable<LanePair> {

    public LanePair {
        if (first.compareTo(second) >= 0) {
            throw new IllegalArgumentException("a pair names two different lanes in sorted order, not "
                    + first + " and " + second);
        }
    }

    public static LanePair of(String one, String other) {
        return one.compareTo(other) < 0 ? new LanePair(one, other) : new LanePair(other, one);
    }

    /** Both presentations, so that a judge's preference for a position cancels out over the pair. */
    public List<Matchup> orders() {
        return List.of(new Matchup(first, second), new Matchup(second, first));
    }

    public boolean has(String lane) {
        return first.equals(lane) || second.equals(lane);
    }

    @Override
    public int compareTo(LanePair other) {
        int byFirst = first.compareTo(other.first);
        return byFirst != 0 ? byFirst : second.compareTo(other.second);
    }
}
