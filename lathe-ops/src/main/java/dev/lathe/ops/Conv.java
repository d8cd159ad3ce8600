package dev.lathe.ops;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Promote;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.ifThenElse;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/**
 * Padding and 2-D convolutions. Padding is a stage of its own (named {@code <name>_pad}) whose
 * body selects the pad value outside the input, so no read ever leaves the input's bounds; a
 * scheduler may inline it. Output extents follow
 * {@code (H + padTop + padBottom - dilation*(KH-1) - 1) / stride + 1} (floor division).
 * Convolutions accumulate in the operands' dtype.
 */
public final class Conv {
    private Conv() {
    }

    // ---- padding

    /** Pads every dimension with {@code before[d]} elements in front and {@code after[d]} behind, filled with {@code value}. */
    public static Tensor pad(Tensor input, int[] before, int[] after, Object value) {
        return pad(input, before, after, value, input.name() + "_pad");
    }

    /**
     * As {@link #pad(Tensor, int[], int[], Object)}, naming the result. {@code value} is a number or an
     * expression of the input's dtype. Without any padding the input itself is returned (no stage).
     */
    public static Tensor pad(Tensor input, int[] before, int[] after, Object value, String name) {
        int rank = input.ndim();
        if (before.length != rank || after.length != rank) {
            throw new IllegalArgumentException("pad: " + input.name() + " has rank " + rank + " but got "
                    + before.length + " pad-before and " + after.length + " pad-after widths; give one per dimension");
        }
        boolean any = false;
        for (int d = 0; d < rank; d++) {
            if (before[d] < 0 || after[d] < 0) {
                throw new IllegalArgumentException("pad: negative width in dimension " + d + " (before " + before[d]
                        + ", after " + after[d] + "); padding widths must be >= 0");
            }
            any |= before[d] > 0 || after[d] > 0;
        }
        if (!any) {
            return input;
        }
        Expr fill = Promote.literal(value, input.dtype());
        if (fill.dtype() != input.dtype()) {
            throw new IllegalArgumentException("pad: the pad value " + fill + " is " + fill.dtype() + " but "
                    + input.name() + " is " + input.dtype());
        }
        List<Expr> shape = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            shape.add(Dims.plus(input.shape().get(d), before[d] + after[d]));
        }
        return computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>();
            Expr inside = null;
            for (int d = 0; d < rank; d++) {
                Var i = v.get(d);
                idx.add(before[d] == 0 ? i : i.sub(before[d]));
                if (before[d] > 0) {
                    inside = and(inside, i.ge(before[d]));
                }
                if (after[d] > 0) {
                    inside = and(inside, i.lt(Dims.plus(input.shape().get(d), before[d])));
                }
            }
            return ifThenElse(inside, input.get(idx), fill);
        }, name);
    }

    /** Pads the H and W dimensions of a 4-D tensor in {@code layout}. */
    public static Tensor pad2d(Tensor input, Layout layout, Padding2d padding, Object value, String name) {
        Dims.requireRank(input, 4, "pad2d: the input");
        int[] before = new int[4];
        int[] after = new int[4];
        before[layout.heightAxis()] = padding.top();
        after[layout.heightAxis()] = padding.bottom();
        before[layout.widthAxis()] = padding.left();
        after[layout.widthAxis()] = padding.right();
        return pad(input, before, after, value, name);
    }

    private static Expr and(Expr acc, Expr c) {
        return acc == null ? c : acc.and(c);
    }

    // ---- convolutions

    /** {@code out[N, CO, OH, OW]} from {@code input[N, C, H, W]} and {@code weight[CO, C/groups, KH, KW]}. */
    public static Tensor conv2dNchw(Tensor input, Tensor weight, Conv2dParams p) {
        return conv2dNchw(input, weight, p, "conv2d_nchw");
    }

    public static Tensor conv2dNchw(Tensor input, Tensor weight, Conv2dParams p, String name) {
        String what = "conv2dNchw";
        checkOperands(input, weight, what);
        List<Expr> in = input.shape();
        List<Expr> w = weight.shape();
        Expr co = w.get(0);
        Expr cinPerGroup = w.get(1);
        checkGroups(in.get(1), cinPerGroup, co, p.groups(), what);
        Expr oh = outExtent(in.get(2), w.get(2), p, true, what);
        Expr ow = outExtent(in.get(3), w.get(3), p, false, what);
        Tensor data = pad2d(input, Layout.NCHW, p.padding(), 0, name + "_pad");
        IterVar rc = reduceAxis(0, cinPerGroup, "rc");
        IterVar ry = reduceAxis(0, w.get(2), "ry");
        IterVar rx = reduceAxis(0, w.get(3), "rx");
        Expr coPerGroup = Dims.floordiv(co, p.groups());
        return compute(List.of(in.get(0), co, oh, ow), (n, oc, y, x) -> {
            Expr ic = inputChannel(oc, rc.var(), coPerGroup, cinPerGroup, p.groups());
            Expr iy = window(y, p.stride().h(), ry.var(), p.dilation().h());
            Expr ix = window(x, p.stride().w(), rx.var(), p.dilation().w());
            return sum(data.get(n, ic, iy, ix).mul(weight.get(oc, rc.var(), ry.var(), rx.var())), rc, ry, rx);
        }, name);
    }

    /** {@code out[N, OH, OW, CO]} from {@code input[N, H, W, C]} and {@code weight[KH, KW, C/groups, CO]}. */
    public static Tensor conv2dNhwc(Tensor input, Tensor weight, Conv2dParams p) {
        return conv2dNhwc(input, weight, p, "conv2d_nhwc");
    }

    public static Tensor conv2dNhwc(Tensor input, Tensor weight, Conv2dParams p, String name) {
        String what = "conv2dNhwc";
        checkOperands(input, weight, what);
        List<Expr> in = input.shape();
        List<Expr> w = weight.shape();
        Expr co = w.get(3);
        Expr cinPerGroup = w.get(2);
        checkGroups(in.get(3), cinPerGroup, co, p.groups(), what);
        Expr oh = outExtent(in.get(1), w.get(0), p, true, what);
        Expr ow = outExtent(in.get(2), w.get(1), p, false, what);
        Tensor data = pad2d(input, Layout.NHWC, p.padding(), 0, name + "_pad");
        IterVar ry = reduceAxis(0, w.get(0), "ry");
        IterVar rx = reduceAxis(0, w.get(1), "rx");
        IterVar rc = reduceAxis(0, cinPerGroup, "rc");
        Expr coPerGroup = Dims.floordiv(co, p.groups());
        return compute(List.of(in.get(0), oh, ow, co), (n, y, x, oc) -> {
            Expr ic = inputChannel(oc, rc.var(), coPerGroup, cinPerGroup, p.groups());
            Expr iy = window(y, p.stride().h(), ry.var(), p.dilation().h());
            Expr ix = window(x, p.stride().w(), rx.var(), p.dilation().w());
            return sum(data.get(n, iy, ix, ic).mul(weight.get(ry.var(), rx.var(), rc.var(), oc)), ry, rx, rc);
        }, name);
    }

    /**
     * Depthwise convolution, {@code out[N, C*M, OH, OW]} from {@code input[N, C, H, W]} and
     * {@code weight[C, M, KH, KW]} with channel multiplier M: output channel {@code c*M + m} filters
     * input channel {@code c} with {@code weight[c, m]}. {@code p.groups()} must be 1 (the grouping is implied).
     */
    public static Tensor depthwiseConv2dNchw(Tensor input, Tensor weight, Conv2dParams p) {
        return depthwiseConv2dNchw(input, weight, p, "depthwise_conv2d_nchw");
    }

    public static Tensor depthwiseConv2dNchw(Tensor input, Tensor weight, Conv2dParams p, String name) {
        String what = "depthwiseConv2dNchw";
        checkDepthwise(input, weight, p, what);
        List<Expr> in = input.shape();
        List<Expr> w = weight.shape();
        Dims.requireSame(in.get(1), w.get(0), what + ": the input channels (input dim 1) and weight dim 0");
        Expr mult = w.get(1);
        Expr oh = outExtent(in.get(2), w.get(2), p, true, what);
        Expr ow = outExtent(in.get(3), w.get(3), p, false, what);
        Tensor data = pad2d(input, Layout.NCHW, p.padding(), 0, name + "_pad");
        IterVar ry = reduceAxis(0, w.get(2), "ry");
        IterVar rx = reduceAxis(0, w.get(3), "rx");
        return compute(List.of(in.get(0), Dims.times(in.get(1), mult), oh, ow), (n, oc, y, x) -> {
            Expr c = Dims.is(mult, 1) ? oc : oc.floordiv(mult);
            Expr m = Dims.is(mult, 1) ? (Expr) IntImm.of(0) : oc.floormod(mult);
            Expr iy = window(y, p.stride().h(), ry.var(), p.dilation().h());
            Expr ix = window(x, p.stride().w(), rx.var(), p.dilation().w());
            return sum(data.get(n, c, iy, ix).mul(weight.get(c, m, ry.var(), rx.var())), ry, rx);
        }, name);
    }

    /**
     * Depthwise convolution, {@code out[N, OH, OW, C*M]} from {@code input[N, H, W, C]} and
     * {@code weight[KH, KW, C, M]}; output channel {@code c*M + m} as in {@link #depthwiseConv2dNchw}.
     */
    public static Tensor depthwiseConv2dNhwc(Tensor input, Tensor weight, Conv2dParams p) {
        return depthwiseConv2dNhwc(input, weight, p, "depthwise_conv2d_nhwc");
    }

    public static Tensor depthwiseConv2dNhwc(Tensor input, Tensor weight, Conv2dParams p, String name) {
        String what = "depthwiseConv2dNhwc";
        checkDepthwise(input, weight, p, what);
        List<Expr> in = input.shape();
        List<Expr> w = weight.shape();
        Dims.requireSame(in.get(3), w.get(2), what + ": the input channels (input dim 3) and weight dim 2");
        Expr mult = w.get(3);
        Expr oh = outExtent(in.get(1), w.get(0), p, true, what);
        Expr ow = outExtent(in.get(2), w.get(1), p, false, what);
        Tensor data = pad2d(input, Layout.NHWC, p.padding(), 0, name + "_pad");
        IterVar ry = reduceAxis(0, w.get(0), "ry");
        IterVar rx = reduceAxis(0, w.get(1), "rx");
        return compute(List.of(in.get(0), oh, ow, Dims.times(in.get(3), mult)), (n, y, x, oc) -> {
            Expr c = Dims.is(mult, 1) ? oc : oc.floordiv(mult);
            Expr m = Dims.is(mult, 1) ? (Expr) IntImm.of(0) : oc.floormod(mult);
            Expr iy = window(y, p.stride().h(), ry.var(), p.dilation().h());
            Expr ix = window(x, p.stride().w(), rx.var(), p.dilation().w());
            return sum(data.get(n, iy, ix, c).mul(weight.get(ry.var(), rx.var(), c, m)), ry, rx);
        }, name);
    }

    // ---- shared pieces

    /** {@code out * stride + k * dilation}, without multiplications by 1. */
    static Expr window(Var out, int stride, Var k, int dilation) {
        Expr o = stride == 1 ? out : out.mul(stride);
        Expr r = dilation == 1 ? k : k.mul(dilation);
        return o.add(r);
    }

    /** The input channel read for output channel {@code oc}: within the group of {@code oc}. */
    private static Expr inputChannel(Var oc, Var rc, Expr coPerGroup, Expr cinPerGroup, int groups) {
        return groups == 1 ? rc : oc.floordiv(coPerGroup).mul(cinPerGroup).add(rc);
    }

    private static Expr outExtent(Expr in, Expr kernel, Conv2dParams p, boolean height, String what) {
        return height
                ? Dims.windowOutput(in, p.padding().totalH(), kernel, p.dilation().h(), p.stride().h(), what + ": the height")
                : Dims.windowOutput(in, p.padding().totalW(), kernel, p.dilation().w(), p.stride().w(), what + ": the width");
    }

    private static void checkOperands(Tensor input, Tensor weight, String what) {
        Dims.requireRank(input, 4, what + ": the input");
        Dims.requireRank(weight, 4, what + ": the weight");
        Dims.requireSameDtype(input, weight, what);
        Dims.requireNumeric(input, what);
    }

    private static void checkDepthwise(Tensor input, Tensor weight, Conv2dParams p, String what) {
        checkOperands(input, weight, what);
        if (p.groups() != 1) {
            throw new IllegalArgumentException(what + ": groups is " + p.groups() + ", but a depthwise convolution "
                    + "groups by input channel by definition; leave groups at 1 and set the channel multiplier "
                    + "through the weight's shape");
        }
    }

    private static void checkGroups(Expr c, Expr cinPerGroup, Expr co, int groups, String what) {
        Dims.requireDivisible(c, groups, what + ": the input channels, with groups = " + groups + ",");
        Dims.requireDivisible(co, groups, what + ": the output channels, with groups = " + groups + ",");
        Dims.requireSame(Dims.floordiv(c, groups), cinPerGroup,
                what + ": input channels / groups (" + c + " / " + groups + ") and the weight's input-channel dimension");
    }
}
