package dev.lathe.schedule;

/**
 * Recorded steps that cannot be read: malformed JSON, an unknown step kind, a missing or
 * ill-typed field, or a string outside the allowed vocabulary. The message names the step and
 * the field.
 */
public class StepFormatException extends IllegalArgumentException {
    public StepFormatException(String message) {
        super(message);
    }

    public StepFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
