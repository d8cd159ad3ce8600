package dev.lathe.ops;

/** The order of the four dimensions of an image batch: N (batch), C (channels), H and W (spatial). */
public enum Layout {
    NCHW(1, 2, 3),
    NHWC(3, 1, 2);

    private final int c;
    private final int h;
    private final int w;

    Layout(int c, int h, int w) {
        this.c = c;
        this.h = h;
        this.w = w;
    }

    /** Index of the channel dimension. */
    public int channelAxis() {
        return c;
    }

    /** Index of the height dimension. */
    public int heightAxis() {
        return h;
    }

    /** Index of the width dimension. */
    public int widthAxis() {
        return w;
    }
}
