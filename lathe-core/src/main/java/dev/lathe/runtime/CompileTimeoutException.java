package dev.lathe.runtime;

import java.nio.file.Path;

/** The C compiler did not finish within the time allowed; it was killed (with any processes it started). */
public class CompileTimeoutException extends LatheException {
    private final Path source;
    private final double seconds;

    public CompileTimeoutException(Path source, double seconds) {
        super("the C compiler did not finish compiling " + source + " within " + seconds + " s and was killed");
        this.source = source;
        this.seconds = seconds;
    }

    public Path source() {
        return source;
    }

    /** The time limit that was exceeded, in seconds. */
    public double seconds() {
        return seconds;
    }
}
