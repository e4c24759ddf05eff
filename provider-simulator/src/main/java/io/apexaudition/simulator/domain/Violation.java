package io.apexaudition.simulator.domain;

/**
 * A request the provider would refuse: the HTTP status it answers synchronously and the error fields it sends.
 * {@code code} and {@code param} are OpenAI's; Anthropic errors carry only {@code type} and {@code message}.
 */
public record Violation(int status, String type, String code, String param, String message) {

    public static Violation openAi(String param, String code, String message) {
        return new Violation(400, "invalid_request_error", code, param, message);
    }

    public static Violation anthropic(String message) {
        return new Violation(400, "invalid_request_error", null, null, message);
    }
}
