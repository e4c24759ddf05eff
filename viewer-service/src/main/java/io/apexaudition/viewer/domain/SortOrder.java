package io.apexaudition.viewer.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A sort order as a URL carries it: a key, descending when written with a leading '-' ({@code -cost}: the dearest
 * first). Ties always fall back to the id, so a page never reorders between two loads.
 */
public record SortOrder(String key, boolean descending) {

    /** Prompt orders of the matrix: by id, mean output length, cost, number of errors. */
    public static final List<String> PROMPT_KEYS = List.of("id", "length", "cost", "errors");
    /** Lane orders of the matrix: by id, coverage, mean output length, its spread, cost, number of errors. */
    public static final List<String> LANE_KEYS = List.of("id", "coverage", "length", "spread", "cost", "errors");

    /** The order a parameter names, one of {@code keys} with or without '-'; absent or blank is {@code id}. */
    public static SortOrder parse(String parameter, String value, List<String> keys) {
        if (value == null || value.isBlank()) {
            return new SortOrder("id", false);
        }
        String v = value.strip();
        boolean descending = v.startsWith("-");
        String key = descending ? v.substring(1) : v;
        if (!keys.contains(key)) {
            List<String> allowed = new ArrayList<>(keys);
            keys.forEach(k -> allowed.add("-" + k));
            throw BadParameterException.notOneOf(parameter, value, allowed);
        }
        return new SortOrder(key, descending);
    }

    /** As the URL writes it. */
    @Override
    public String toString() {
        return (descending ? "-" : "") + key;
    }
}
