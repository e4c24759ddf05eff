package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;

/** Which {@link ErrorKind} an HTTP status or a provider error type is. */
public final class ErrorKinds {
    private ErrorKinds() {
    }

    public static ErrorKind ofStatus(int status) {
        if (status == 429) {
            return ErrorKind.RATE_LIMIT;
        }
        if (status == 408 || status == 504 || status == -1) {
            return ErrorKind.TIMEOUT;
        }
        if (status == 401 || status == 403) {
            return ErrorKind.AUTHENTICATION;
        }
        if (status >= 500 || status == ProviderResponse.BROKEN_BODY) {
            return ErrorKind.SERVER;
        }
        return ErrorKind.INVALID_REQUEST;
    }

    /** Anthropic's {@code error.type}. */
    public static ErrorKind ofAnthropicType(String type) {
        if (type == null) {
            return ErrorKind.SERVER;
        }
        return switch (type) {
            case "invalid_request_error", "not_found_error", "request_too_large" -> ErrorKind.INVALID_REQUEST;
            case "authentication_error", "permission_error" -> ErrorKind.AUTHENTICATION;
            case "rate_limit_error" -> ErrorKind.RATE_LIMIT;
            default -> ErrorKind.SERVER;
        };
    }
}
