package dev.lathe.ops;

/** Implicit padding of a 2-D window op, per side, in elements. */
public record Padding2d(int top, int left, int bottom, int right) {
    public static final Padding2d NONE = new Padding2d(0, 0, 0, 0);

    public Padding2d {
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            throw new IllegalArgumentException("padding must not be negative, got (top " + top + ", left " + left
                    + ", bottom " + bottom + ", right " + right + ")");
        }
    }

    /** The same padding on all four sides. */
    public static Padding2d of(int all) {
        return new Padding2d(all, all, all, all);
    }

    /** Symmetric padding: {@code h} above and below, {@code w} left and right. */
    public static Padding2d of(int h, int w) {
        return new Padding2d(h, w, h, w);
    }

    public static Padding2d of(int top, int left, int bottom, int right) {
        return new Padding2d(top, left, bottom, right);
    }

    public int totalH() {
        return top + bottom;
    }

    public int totalW() {
        return left + right;
    }

    public boolean isNone() {
        return top == 0 && left == 0 && bottom == 0 && right == 0;
    }
}
