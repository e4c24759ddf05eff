package io.apexaudition.providers;

import io.apexaudition.events.ErrorKind;

/** A provider call that did not succeed, after retries where they were allowed. The message holds no secret. */
public class ProviderCallException extends RuntimeException {
    private final int status;
    private final ErrorKind kind;

    public ProviderCallException(int status, ErrorKind kind, String message) {
        super(message);
        this.status = status;
        this.kind = kind;
    }

    public int status() {
        return status;
    }

    public ErrorKind kind() {
        return kind;
    }
}
