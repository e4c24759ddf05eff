package io.apexaudition.core.judging;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/** What a rubric answer must hold: a score for each named criterion, each within the scale {@code min..max}. */
public record Rubric(List<String> criteria, int min, int max) {

    public Rubric {
        criteria = List.copyOf(criteria);
        if (criteria.isEmpty()) {
            throw new IllegalArgumentException("a rubric names at least one criterion");
        }
        if (new HashSet<>(criteria.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList()).size()
                != criteria.size()) {
            throw new IllegalArgumentException("a rubric names each criterion once (case aside): " + criteria);
        }
        if (min >= max) {
            throw new IllegalArgumentException("a rubric's scale runs from a minimum up to a larger maximum, not "
                    + min + ".." + max);
        }
    }
}
