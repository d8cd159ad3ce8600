package dev.lathe.ops;

import java.util.Objects;

/**
 * The hyper-parameters of a 2-D convolution. Start from {@link #DEFAULT} (stride 1, no padding,
 * dilation 1, one group) and change what differs: {@code Conv2dParams.DEFAULT.withStride(2).withPadding(3)}.
 */
public record Conv2dParams(Size2d stride, Padding2d padding, Size2d dilation, int groups) {
    public static final Conv2dParams DEFAULT = new Conv2dParams(Size2d.of(1), Padding2d.NONE, Size2d.of(1), 1);

    public Conv2dParams {
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(dilation, "dilation");
        if (groups <= 0) {
            throw new IllegalArgumentException("groups must be positive, got " + groups);
        }
    }

    public Conv2dParams withStride(int hw) {
        return withStride(hw, hw);
    }

    public Conv2dParams withStride(int h, int w) {
        return new Conv2dParams(Size2d.of(h, w), padding, dilation, groups);
    }

    public Conv2dParams withPadding(int all) {
        return withPadding(Padding2d.of(all));
    }

    public Conv2dParams withPadding(int h, int w) {
        return withPadding(Padding2d.of(h, w));
    }

    public Conv2dParams withPadding(int top, int left, int bottom, int right) {
        return withPadding(Padding2d.of(top, left, bottom, right));
    }

    public Conv2dParams withPadding(Padding2d p) {
        return new Conv2dParams(stride, p, dilation, groups);
    }

    public Conv2dParams withDilation(int hw) {
        return withDilation(hw, hw);
    }

    public Conv2dParams withDilation(int h, int w) {
        return new Conv2dParams(stride, padding, Size2d.of(h, w), groups);
    }

    public Conv2dParams withGroups(int g) {
        return new Conv2dParams(stride, padding, dilation, g);
    }
}
