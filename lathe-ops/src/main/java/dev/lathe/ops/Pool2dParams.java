package dev.lathe.ops;

import java.util.Objects;

/**
 * The window of a 2-D pooling: kernel extent, stride and implicit padding. Each pad must be
 * smaller than the kernel along its axis, so that every window overlaps the input (a window
 * entirely in the padding has no max and nothing to average).
 */
public record Pool2dParams(Size2d kernel, Size2d stride, Padding2d padding) {
    public Pool2dParams {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
        if (Math.max(padding.top(), padding.bottom()) >= kernel.h() || Math.max(padding.left(), padding.right()) >= kernel.w()) {
            throw new IllegalArgumentException("pooling padding " + padding + " must be smaller than the kernel " + kernel
                    + " along each axis, or some windows would lie entirely in the padding");
        }
    }

    /** A {@code k×k} window with stride {@code k} (non-overlapping) and no padding. */
    public static Pool2dParams of(int k) {
        return new Pool2dParams(Size2d.of(k), Size2d.of(k), Padding2d.NONE);
    }

    public static Pool2dParams of(int kernel, int stride, int padding) {
        return new Pool2dParams(Size2d.of(kernel), Size2d.of(stride), Padding2d.of(padding));
    }
}
