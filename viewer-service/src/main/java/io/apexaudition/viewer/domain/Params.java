package io.apexaudition.viewer.domain;

import java.util.ArrayList;
import java.util.List;

/** Query parameters as a shared URL carries them, read strictly: a bad value is an error that names it. */
public final class Params {

    private Params() {
    }

    /** The values of a repeated or comma-separated parameter, in order, without blanks or repeats. */
    public static List<String> list(List<String> values) {
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

    /** The values of a list parameter, each of which must be one of {@code allowed}. */
    public static List<String> listOf(String parameter, List<String> values, List<String> allowed) {
        List<String> out = list(values);
        for (String v : out) {
            if (!allowed.contains(v)) {
                throw BadParameterException.notOneOf(parameter, v, allowed);
            }
        }
        return out;
    }

    /** A flag: absent or blank is {@code false}; {@code true} or {@code false}, nothing else. */
    public static boolean flag(String parameter, String value) {
        return flag(parameter, value, false);
    }

    /** A flag: absent or blank is {@code fallback}; {@code true} or {@code false}, nothing else. */
    public static boolean flag(String parameter, String value, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw BadParameterException.notOneOf(parameter, value, List.of("true", "false"));
        };
    }

    /** A whole number of at least {@code min}; absent or blank is {@code fallback}. */
    public static int number(String parameter, String value, int fallback, int min) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, as an out-of-range number is
        }
        throw new BadParameterException(parameter, value, List.of(), "parameter '" + parameter + "' cannot be '"
                + value + "': use a whole number of at least " + min);
    }

    /** A required text parameter. */
    public static String required(String parameter, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new BadParameterException(parameter, value, List.of(), "parameter '" + parameter
                    + "' is required: " + example);
        }
        return value.strip();
    }
}
