package dev.lathe.ops;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.max;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/**
 * 2-D max and average pooling over the H and W dimensions of a 4-D tensor in NCHW or NHWC.
 * Output extents follow {@code (H + padTop + padBottom - KH) / stride + 1}. Padding is a stage
 * {@code <name>_pad} (filled with the dtype's lowest value for max, 0 for the average's sum), so
 * no read leaves the input.
 */
public final class Pool {
    private Pool() {
    }

    /** The maximum of each window; padded positions never win. */
    public static Tensor maxPool2d(Tensor input, Pool2dParams p, Layout layout) {
        return maxPool2d(input, p, layout, "max_pool2d");
    }

    public static Tensor maxPool2d(Tensor input, Pool2dParams p, Layout layout, String name) {
        return maxPool2d(input, p, Size2d.of(1), false, layout, name);
    }

    /**
     * Max pooling with dilated windows ({@code dilation} between window taps) and, with
     * {@code ceilMode}, output extents rounded up: {@code ceil((H + pads - effectiveK) / stride) + 1},
     * less one when the last window would start in the bottom (right) padding. Windows reaching
     * beyond the padding see only what lies inside.
     */
    public static Tensor maxPool2d(Tensor input, Pool2dParams p, Size2d dilation, boolean ceilMode, Layout layout,
                                   String name) {
        Dims.requireRank(input, 4, "maxPool2d: the input");
        Dims.requireNumeric(input, "maxPool2d");
        Window w = window(input, p, dilation, ceilMode, layout, "maxPool2d");
        Tensor data = Conv.pad2d(input, layout, w.padding(), Exprs.lowest(input.dtype()), name + "_pad");
        IterVar ry = reduceAxis(0, p.kernel().h(), "ry");
        IterVar rx = reduceAxis(0, p.kernel().w(), "rx");
        return computeN(w.shape(), v -> max(data.get(windowIndex(v, layout, p, dilation, ry.var(), rx.var())), ry, rx), name);
    }

    /**
     * The mean of each window over the elements inside the input only (count_include_pad=false):
     * a window hanging over the border divides by the number of input elements it covers, not by
     * KH·KW. Two stages: {@code <name>_sum} (the window sum) and {@code <name>} (the division).
     * Float tensors only.
     */
    public static Tensor avgPool2d(Tensor input, Pool2dParams p, Layout layout) {
        return avgPool2d(input, p, layout, "avg_pool2d");
    }

    public static Tensor avgPool2d(Tensor input, Pool2dParams p, Layout layout, String name) {
        return avgPool2d(input, p, false, false, layout, name);
    }

    /**
     * Average pooling with {@code ceilMode} as in {@link #maxPool2d(Tensor, Pool2dParams, Size2d, boolean, Layout, String)}.
     * The divisor counts the window positions inside the input, or with {@code countIncludePad}
     * those inside the input and its explicit padding (never the extra positions a ceil-mode
     * window reaches beyond the padding).
     */
    public static Tensor avgPool2d(Tensor input, Pool2dParams p, boolean ceilMode, boolean countIncludePad, Layout layout,
                                   String name) {
        Dims.requireRank(input, 4, "avgPool2d: the input");
        Dims.requireFloat(input, "avgPool2d");
        Size2d one = Size2d.of(1);
        Window win = window(input, p, one, ceilMode, layout, "avgPool2d");
        Tensor data = Conv.pad2d(input, layout, win.padding(), 0, name + "_pad");
        IterVar ry = reduceAxis(0, p.kernel().h(), "ry");
        IterVar rx = reduceAxis(0, p.kernel().w(), "rx");
        Tensor total = computeN(win.shape(), v -> sum(data.get(windowIndex(v, layout, p, one, ry.var(), rx.var())), ry, rx),
                name + "_sum");
        Expr h = input.shape().get(layout.heightAxis());
        Expr w = input.shape().get(layout.widthAxis());
        Padding2d pad = p.padding();
        return computeN(win.shape(), v -> {
            Expr rows = coveredCount(v.get(layout.heightAxis()), p.stride().h(), pad.top(), p.kernel().h(),
                    countIncludePad ? -pad.top() : 0, countIncludePad ? Dims.plus(h, pad.bottom()) : h);
            Expr cols = coveredCount(v.get(layout.widthAxis()), p.stride().w(), pad.left(), p.kernel().w(),
                    countIncludePad ? -pad.left() : 0, countIncludePad ? Dims.plus(w, pad.right()) : w);
            return total.get(v).div(rows.mul(cols).cast(input.dtype()));
        }, name);
    }

    /**
     * How many of the window's {@code k} positions starting at {@code o*stride - pad} lie in
     * {@code [low, high)}; {@code low} is 0 or {@code -pad}, so only a window start below 0 needs the clamp.
     */
    private static Expr coveredCount(Var o, int stride, int pad, int k, long low, Expr high) {
        Expr scaled = stride == 1 ? o : o.mul(stride);
        Expr start = pad == 0 ? scaled : scaled.sub(pad);
        Expr end = scaled.add(k - pad);
        return end.min(high).sub(pad == 0 || low < 0 ? start : start.max(low));
    }

    /** The output shape of a pooling and the padding its data stage needs (the explicit one plus ceil mode's extra). */
    private record Window(List<Expr> shape, Padding2d padding) {
    }

    private static Window window(Tensor input, Pool2dParams p, Size2d dilation, boolean ceilMode, Layout layout,
                                 String what) {
        List<Expr> shape = new ArrayList<>(input.shape());
        int h = layout.heightAxis();
        int w = layout.widthAxis();
        Padding2d pad = p.padding();
        Expr oh = Dims.windowOutput(input.shape().get(h), pad.totalH(), IntImm.of(p.kernel().h()),
                dilation.h(), p.stride().h(), what + ": the height");
        Expr ow = Dims.windowOutput(input.shape().get(w), pad.totalW(), IntImm.of(p.kernel().w()),
                dilation.w(), p.stride().w(), what + ": the width");
        int extraH = 0;
        int extraW = 0;
        if (ceilMode) {
            long ih = Dims.literal(input.shape().get(h), what + " with ceil mode: the input height");
            long iw = Dims.literal(input.shape().get(w), what + " with ceil mode: the input width");
            long[] rh = ceilExtent(ih, pad.top(), pad.bottom(), p.kernel().h(), dilation.h(), p.stride().h());
            long[] rw = ceilExtent(iw, pad.left(), pad.right(), p.kernel().w(), dilation.w(), p.stride().w());
            oh = IntImm.of(rh[0]);
            ow = IntImm.of(rw[0]);
            extraH = (int) rh[1];
            extraW = (int) rw[1];
        }
        shape.set(h, oh);
        shape.set(w, ow);
        return new Window(shape, new Padding2d(pad.top(), pad.left(), pad.bottom() + extraH, pad.right() + extraW));
    }

    /** The ceil-mode output extent and the padding its last window needs beyond the explicit one. */
    private static long[] ceilExtent(long in, int before, int after, int k, int dilation, int stride) {
        long eff = (long) dilation * (k - 1) + 1;
        long span = in + before + after - eff;
        long out = Math.ceilDiv(span, stride) + 1;
        if ((out - 1) * stride >= in + before) {
            out--;
        }
        long extra = Math.max(0, (out - 1) * stride + eff - (in + before + after));
        return new long[] {out, extra};
    }

    /** The mean over every axis from 2 on of {@code x[N, C, ...]}, kept as extent 1: {@code [N, C, 1, ...]}. */
    public static Tensor globalAvgPool(Tensor x, String name) {
        return Reduction.reduceAxes(x, Reduction.Kind.MEAN, spatialAxes(x, "globalAvgPool"), true, false, name);
    }

    /** The maximum over every axis from 2 on of {@code x[N, C, ...]}, kept as extent 1. */
    public static Tensor globalMaxPool(Tensor x, String name) {
        return Reduction.reduceAxes(x, Reduction.Kind.MAX, spatialAxes(x, "globalMaxPool"), true, false, name);
    }

    private static int[] spatialAxes(Tensor x, String what) {
        if (x.ndim() < 3) {
            throw new IllegalArgumentException(what + " needs x of rank >= 3 ([N, C, spatial...]), but "
                    + x.name() + " has shape " + x.shape());
        }
        int[] axes = new int[x.ndim() - 2];
        for (int d = 0; d < axes.length; d++) {
            axes[d] = d + 2;
        }
        return axes;
    }

    private static List<Expr> windowIndex(List<Var> v, Layout layout, Pool2dParams p, Size2d dilation, Var ry, Var rx) {
        List<Expr> idx = new ArrayList<>(v);
        idx.set(layout.heightAxis(), Conv.window(v.get(layout.heightAxis()), p.stride().h(), ry, dilation.h()));
        idx.set(layout.widthAxis(), Conv.window(v.get(layout.widthAxis()), p.stride().w(), rx, dilation.w()));
        return idx;
    }
}
