package dev.lathe.ops;

/**
 * How a window op pads its input when the padding is not given explicitly: not at all
 * ({@link #VALID}), or so that the output extent is {@code ceil(in / stride)} ({@link #SAME_UPPER},
 * odd total padding with the extra element at the end, and {@link #SAME_LOWER}, at the start).
 */
public enum AutoPad {
    VALID, SAME_UPPER, SAME_LOWER;

    /** The padding for an input of {@code h × w} under a window of {@code kernel}, {@code stride} and {@code dilation}. */
    public Padding2d resolve(long h, long w, Size2d kernel, Size2d stride, Size2d dilation) {
        if (this == VALID) {
            return Padding2d.NONE;
        }
        int[] ph = split(total(h, kernel.h(), stride.h(), dilation.h()));
        int[] pw = split(total(w, kernel.w(), stride.w(), dilation.w()));
        return new Padding2d(ph[0], pw[0], ph[1], pw[1]);
    }

    private static long total(long in, int k, int stride, int dilation) {
        long out = Math.ceilDiv(in, stride);
        long eff = (long) dilation * (k - 1) + 1;
        return Math.max(0, (out - 1) * stride + eff - in);
    }

    private int[] split(long total) {
        int small = (int) (total / 2);
        int large = (int) (total - small);
        return this == SAME_UPPER ? new int[] {small, large} : new int[] {large, small};
    }
}
