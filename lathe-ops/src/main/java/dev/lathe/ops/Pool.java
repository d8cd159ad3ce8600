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
        Dims.requireRank(input, 4, "maxPool2d: the input");
        Dims.requireNumeric(input, "maxPool2d");
        List<Expr> outShape = outShape(input, p, layout, "maxPool2d");
        Tensor data = Conv.pad2d(input, layout, p.padding(), Exprs.lowest(input.dtype()), name + "_pad");
        IterVar ry = reduceAxis(0, p.kernel().h(), "ry");
        IterVar rx = reduceAxis(0, p.kernel().w(), "rx");
        return computeN(outShape, v -> max(data.get(windowIndex(v, layout, p, ry.var(), rx.var())), ry, rx), name);
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
        Dims.requireRank(input, 4, "avgPool2d: the input");
        Dims.requireFloat(input, "avgPool2d");
        List<Expr> outShape = outShape(input, p, layout, "avgPool2d");
        Tensor data = Conv.pad2d(input, layout, p.padding(), 0, name + "_pad");
        IterVar ry = reduceAxis(0, p.kernel().h(), "ry");
        IterVar rx = reduceAxis(0, p.kernel().w(), "rx");
        Tensor total = computeN(outShape, v -> sum(data.get(windowIndex(v, layout, p, ry.var(), rx.var())), ry, rx),
                name + "_sum");
        Expr h = input.shape().get(layout.heightAxis());
        Expr w = input.shape().get(layout.widthAxis());
        return computeN(outShape, v -> {
            Expr rows = coveredCount(v.get(layout.heightAxis()), p.stride().h(), p.padding().top(), p.kernel().h(), h);
            Expr cols = coveredCount(v.get(layout.widthAxis()), p.stride().w(), p.padding().left(), p.kernel().w(), w);
            return total.get(v).div(rows.mul(cols).cast(input.dtype()));
        }, name);
    }

    /** How many of the window's {@code k} positions starting at {@code o*stride - pad} lie in {@code [0, extent)}. */
    private static Expr coveredCount(Var o, int stride, int pad, int k, Expr extent) {
        Expr scaled = stride == 1 ? o : o.mul(stride);
        Expr start = pad == 0 ? scaled : scaled.sub(pad);
        Expr end = scaled.add(k - pad);
        return end.min(extent).sub(pad == 0 ? start : start.max(0));
    }

    private static List<Expr> outShape(Tensor input, Pool2dParams p, Layout layout, String what) {
        List<Expr> shape = new ArrayList<>(input.shape());
        int h = layout.heightAxis();
        int w = layout.widthAxis();
        shape.set(h, Dims.windowOutput(input.shape().get(h), p.padding().totalH(), IntImm.of(p.kernel().h()),
                1, p.stride().h(), what + ": the height"));
        shape.set(w, Dims.windowOutput(input.shape().get(w), p.padding().totalW(), IntImm.of(p.kernel().w()),
                1, p.stride().w(), what + ": the width"));
        return shape;
    }

    private static List<Expr> windowIndex(List<Var> v, Layout layout, Pool2dParams p, Var ry, Var rx) {
        List<Expr> idx = new ArrayList<>(v);
        idx.set(layout.heightAxis(), Conv.window(v.get(layout.heightAxis()), p.stride().h(), ry, 1));
        idx.set(layout.widthAxis(), Conv.window(v.get(layout.widthAxis()), p.stride().w(), rx, 1));
        return idx;
    }
}
