package io.apexaudition.viewer.messaging;

/** The broker did not take a verdict in time; the message says what the reader and the operator can do. */
public class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
