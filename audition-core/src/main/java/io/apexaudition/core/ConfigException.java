package io.apexaudition.core;

/** A configuration file that cannot be used; the message names the file, the problem and the fix. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
