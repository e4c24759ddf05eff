package io.apexaudition.viewer.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * What a matrix view is narrowed to: lanes, statuses (each given repeated or comma separated, as a shared URL
 * carries them) and a text searched in the outputs.
 */
public record MatrixFilter(List<String> lanes, List<String> statuses, String text) {

    public MatrixFilter {
        lanes = List.copyOf(lanes);
        statuses = List.copyOf(statuses);
        text = text == null || text.isBlank() ? null : text.strip();
    }

    /** The filter a query string names; blank values name nothing. */
    public static MatrixFilter of(List<String> lanes, List<String> statuses, String text) {
        return new MatrixFilter(split(lanes), split(statuses), text);
    }

    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank() && !out.contains(part.strip())) {
                        out.add(part.strip());
                    }
                }
            }
        }
        return out;
    }

    /** The text as a LIKE pattern: its own % and _ are matched literally, not as wildcards. */
    public String likePattern() {
        return text == null ? null
                : "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
