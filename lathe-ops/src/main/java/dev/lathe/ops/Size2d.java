package dev.lathe.ops;

/** A pair of positive extents along height and width: a stride, a dilation or a window size. */
public record Size2d(int h, int w) {
    public Size2d {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("sizes along height and width must be positive, got (" + h + ", " + w + ")");
        }
    }

    /** The same extent along both axes. */
    public static Size2d of(int hw) {
        return new Size2d(hw, hw);
    }

    public static Size2d of(int h, int w) {
        return new Size2d(h, w);
    }

    @Override
    public String toString() {
        return "(" + h + ", " + w + ")";
    }
}
