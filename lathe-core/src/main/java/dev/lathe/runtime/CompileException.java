package dev.lathe.runtime;

import java.nio.file.Path;

/**
 * The C compiler rejected generated code. Generated code that does not compile is a Lathe bug:
 * the message names the kept source file and carries the compiler's output for the report.
 */
public class CompileException extends LatheException {
    private final Path source;
    private final String compilerOutput;

    public CompileException(Path source, String compilerOutput) {
        super("the C compiler rejected generated code (a Lathe bug; please report it with the source file)\n"
                + "  source kept at: " + source + "\n  compiler output:\n" + compilerOutput.strip().indent(4));
        this.source = source;
        this.compilerOutput = compilerOutput;
    }

    public Path source() {
        return source;
    }

    public String compilerOutput() {
        return compilerOutput;
    }
}
