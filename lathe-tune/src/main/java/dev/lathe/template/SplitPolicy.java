package dev.lathe.template;

/** Which factorizations a split knob offers. */
public enum SplitPolicy {
    /** Every ordered tuple of divisors whose product is the extent (no remainder loops). */
    FACTORS,
    /**
     * Inner sizes that are powers of two (up to the extent), the outermost loop taking what remains
     * (rounded up: a non-divisible split, guarded).
     */
    POWER2
}
