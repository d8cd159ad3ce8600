package dev.lathe.measure;

import dev.lathe.ir.DType;

import java.nio.file.Path;
import java.util.List;

/**
 * A built candidate: the shared library and what the runner needs to call it, or the error
 * (INVALID_SCHEDULE, COMPILE_ERROR, COMPILE_TIMEOUT, UNKNOWN) and its message. {@code seconds}
 * is the wall time of lowering, generating C and compiling (near zero on a cache hit).
 */
public record BuildResult(Kernel kernel, ErrorKind error, String message, double seconds) {
    public BuildResult {
        message = message == null ? "" : message;
        if ((kernel == null) == (error == ErrorKind.NONE)) {
            throw new IllegalArgumentException("a build result has a kernel exactly when its error is NONE");
        }
    }

    public boolean ok() {
        return error == ErrorKind.NONE;
    }

    static BuildResult failed(ErrorKind error, String message, double seconds) {
        return new BuildResult(null, error, message, seconds);
    }

    /** A kernel parameter with a constant shape; inputs come first, then outputs. */
    public record Param(String name, DType dtype, List<Long> shape, boolean output) {
        public Param {
            shape = List.copyOf(shape);
        }

        public long size() {
            return shape.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
        }
    }

    /**
     * A compiled candidate: its library (in the compiler cache), entry symbol, parameters and the
     * descriptions of its checked data-dependent index sites (for fault messages).
     */
    public record Kernel(String name, String entry, Path library, List<Param> params, List<String> checkedSites) {
        public Kernel {
            params = List.copyOf(params);
            checkedSites = List.copyOf(checkedSites);
        }
    }
}
