package io.apexaudition.simulator.domain;

/** A request refused at once, carrying what the provider answers; the REST layer renders it in that provider's shape. */
public class Refusal extends RuntimeException {
    private final String provider;
    private final transient Violation violation;

    public Refusal(String provider, Violation violation) {
        super(violation.message(), null, false, false);
        this.provider = provider;
        this.violation = violation;
    }

    public static Refusal openAi(int status, String message, String param, String code) {
        return new Refusal("openai", new Violation(status, "invalid_request_error", code, param, message));
    }

    public static Refusal anthropic(int status, String type, String message) {
        return new Refusal("anthropic", new Violation(status, type, null, null, message));
    }

    public String provider() {
        return provider;
    }

    public Violation violation() {
        return violation;
    }
}
