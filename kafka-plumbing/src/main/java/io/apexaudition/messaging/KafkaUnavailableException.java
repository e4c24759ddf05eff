package io.apexaudition.messaging;

/**
 * Kafka did not take or show what a service needed (a transaction that did not commit, a topic that could not be
 * read to its end) within its timeout: an outage, not a bad record. Callers wait and try again; the message says
 * what was attempted and what to check.
 */
public class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the failure, or anything that caused it, is a Kafka outage: this exception, or an error the Kafka
     * client itself calls retriable (timeouts, a broker not available). A fenced producer, a record over the
     * broker's limit or a bug is not an outage: waiting would never end, so those fail loudly instead.
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KafkaUnavailableException
                    || t instanceof org.apache.kafka.common.errors.RetriableException) {
                return true;
            }
        }
        return false;
    }
}
