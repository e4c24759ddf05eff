package io.apexaudition.core.judging;

/**
 * One lane's Bradley–Terry rating on the Elo-like scale of {@link BradleyTerry} (mean of the rated lanes 0; 400
 * points = 10 to 1 odds), with its bootstrap interval (null when no bootstrap was asked for) and the record it
 * was fitted from: judgments won, lost and tied, in either position.
 */
public record LaneRating(String lane, double rating, Double lower, Double upper, int wins, int losses, int ties) {

    public int comparisons() {
        return wins + losses + ties;
    }

    /** Whether the two intervals share no point: the two lanes are told apart at the interval's confidence. */
    public boolean separatedFrom(LaneRating other) {
        return lower != null && other.lower != null && (lower > other.upper || other.lower > upper);
    }
}
