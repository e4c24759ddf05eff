package io.apexaudition.core.judging;

import java.util.Objects;

/**
 * What parsing a judge's answer gave: the value, or (value null) the problem that kept it from parsing, written
 * for a person and safe to print (no control character of the answer is copied into it).
 */
public record Parsed<T>(T value, String problem) {

    public Parsed {
        if ((value == null) == (problem == null)) {
            throw new IllegalArgumentException("a parse gives either a value or a problem");
        }
    }

    public static <T> Parsed<T> of(T value) {
        return new Parsed<>(Objects.requireNonNull(value), null);
    }

    public static <T> Parsed<T> problem(String problem) {
        return new Parsed<>(null, Objects.requireNonNull(problem));
    }

    public boolean parsed() {
        return value != null;
    }
}
