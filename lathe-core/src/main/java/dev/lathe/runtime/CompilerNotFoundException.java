package dev.lathe.runtime;

/** No C compiler could be run. */
public class CompilerNotFoundException extends LatheException {
    public CompilerNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
