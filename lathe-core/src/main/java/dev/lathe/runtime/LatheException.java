package dev.lathe.runtime;

/** Base of the errors Lathe reports about its input or environment. */
public class LatheException extends RuntimeException {
    public LatheException(String message) {
        super(message);
    }

    public LatheException(String message, Throwable cause) {
        super(message, cause);
    }
}
