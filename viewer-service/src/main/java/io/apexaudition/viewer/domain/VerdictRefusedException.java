package io.apexaudition.viewer.domain;

import java.util.List;

/**
 * A verdict that cannot be recorded as sent: every problem, each naming the field and the fix. {@code status} is
 * 400 for a verdict that is wrong in itself, 409 for one cast on a page whose outputs have changed since.
 */
public class VerdictRefusedException extends RuntimeException {
    private final int status;
    private final List<String> problems;

    public VerdictRefusedException(int status, List<String> problems) {
        super(String.join("; ", problems));
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }
}
