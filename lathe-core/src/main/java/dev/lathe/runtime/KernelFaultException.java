package dev.lathe.runtime;

/**
 * A kernel stopped on bad input it detected while running: an integer division by zero, an
 * index read from tensor data that is out of bounds, or memory it could not allocate. Outputs
 * are unspecified after a fault.
 */
public class KernelFaultException extends LatheException {
    private final int code;

    public KernelFaultException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
