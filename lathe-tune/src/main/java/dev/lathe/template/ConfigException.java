package dev.lathe.template;

/** A config that does not belong to its space: unknown or missing knob, value not among the options, bad JSON. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
