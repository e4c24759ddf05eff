package io.apexaudition.viewer.domain;

import java.util.List;

/**
 * A query parameter the viewer cannot use: its name, the value given and, where there is a closed set, the values it
 * takes, so that the answer (400) tells the caller what to send instead.
 */
public class BadParameterException extends RuntimeException {
    private final String parameter;
    private final String value;
    private final List<String> allowed;

    public BadParameterException(String parameter, String value, List<String> allowed, String message) {
        super(message);
        this.parameter = parameter;
        this.value = value;
        this.allowed = List.copyOf(allowed);
    }

    /** A value outside a closed set: the message names the parameter and every value it takes. */
    public static BadParameterException notOneOf(String parameter, String value, List<String> allowed) {
        return new BadParameterException(parameter, value, allowed, "parameter '" + parameter + "' cannot be '"
                + value + "': use one of " + String.join(", ", allowed));
    }

    public String parameter() {
        return parameter;
    }

    public String value() {
        return value;
    }

    public List<String> allowed() {
        return allowed;
    }
}
