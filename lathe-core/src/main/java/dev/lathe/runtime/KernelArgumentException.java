package dev.lathe.runtime;

/** Arrays passed to a kernel do not match its parameters (count, dtype, rank, shape, or an unbound size variable). */
public class KernelArgumentException extends LatheException {
    public KernelArgumentException(String message) {
        super(message);
    }
}
