package io.mysqlmux.proxy.config;

/** A setting that stops start-up: the message names the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ConfigException invalid(String key, Object value, String expected) {
        return new ConfigException(key + ": " + value + " (expected: " + expected + ")");
    }
}
