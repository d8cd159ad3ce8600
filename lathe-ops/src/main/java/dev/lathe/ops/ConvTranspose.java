package dev.lathe.ops;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.ifThenElse;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/**
 * Transposed 2-D convolution (the gradient of a convolution with respect to its input), NCHW.
 * It is declared as a stride-1 convolution with the flipped kernel over a stage
 * {@code <name>_dilate} that spreads the input {@code stride} apart and pads it by
 * {@code dilation·(K-1) - pad} on each side (plus the output padding at the end); positions not
 * on the input grid read 0 and nothing reads outside the input. Output extent:
 * {@code stride·(H-1) + outputPadding + dilation·(K-1) + 1 - padTop - padBottom}.
 */
public final class ConvTranspose {
    private ConvTranspose() {
    }

    /**
     * {@code out[N, CO, OH, OW]} from {@code input[N, C, H, W]} and
     * {@code weight[C, CO/groups, KH, KW]}. {@code outputPadH/W} add rows (columns) at the end and
     * must be smaller than the stride or the dilation along their axis. The input's channels and
     * spatial extents and the kernel's must be literal; the batch may be symbolic.
     */
    public static Tensor convTranspose2dNchw(Tensor input, Tensor weight, Conv2dParams p, int outputPadH, int outputPadW,
                                             String name) {
        String what = "convTranspose2dNchw";
        Dims.requireRank(input, 4, what + ": the input");
        Dims.requireRank(weight, 4, what + ": the weight");
        Dims.requireSameDtype(input, weight, what);
        Dims.requireNumeric(input, what);
        checkOutputPadding(outputPadH, p.stride().h(), p.dilation().h(), "height");
        checkOutputPadding(outputPadW, p.stride().w(), p.dilation().w(), "width");
        long[] in = new long[4];
        for (int d = 1; d < 4; d++) {
            in[d] = Dims.literal(input.shape().get(d), what + ": dimension " + d + " of the input");
        }
        Expr batch = input.shape().getFirst();
        long[] w = Transform.literalShape(weight, what + ": the weight");
        int g = p.groups();
        Dims.requireSame(input.shape().get(1), weight.shape().get(0), what + ": the input channels and weight dim 0");
        Dims.requireDivisible(input.shape().get(1), g, what + ": the input channels, with groups = " + g + ",");
        long cinPerGroup = in[1] / g;
        long coutPerGroup = w[1];
        long kh = w[2];
        long kw = w[3];
        Spread sy = new Spread(in[2], p.stride().h(), p.dilation().h() * (kh - 1) - p.padding().top(),
                p.dilation().h() * (kh - 1) - p.padding().bottom() + outputPadH);
        Spread sx = new Spread(in[3], p.stride().w(), p.dilation().w() * (kw - 1) - p.padding().left(),
                p.dilation().w() * (kw - 1) - p.padding().right() + outputPadW);
        long oh = sy.extent() - p.dilation().h() * (kh - 1);
        long ow = sx.extent() - p.dilation().w() * (kw - 1);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(what + ": the padding " + p.padding() + " leaves an output of "
                    + oh + " x " + ow + "; reduce the padding");
        }
        Tensor spread = compute(List.of(batch, in[1], sy.extent(), sx.extent()), (n, c, y, x) -> {
            Expr inside = sy.onGrid(y).and(sx.onGrid(x));
            return ifThenElse(inside, input.get(n, c, sy.source(y), sx.source(x)), 0);
        }, name + "_dilate");
        IterVar rc = reduceAxis(0, cinPerGroup, "rc");
        IterVar ry = reduceAxis(0, kh, "ry");
        IterVar rx = reduceAxis(0, kw, "rx");
        return compute(List.of(batch, coutPerGroup * g, oh, ow), (n, oc, y, x) -> {
            Expr ic = g == 1 ? rc.var() : oc.floordiv(coutPerGroup).mul(cinPerGroup).add(rc.var());
            Expr ocInGroup = g == 1 ? oc : oc.floormod(coutPerGroup);
            Expr iy = Conv.window(y, 1, ry.var(), p.dilation().h());
            Expr ix = Conv.window(x, 1, rx.var(), p.dilation().w());
            Expr wy = IntImm.of(kh - 1).sub(ry.var());
            Expr wx = IntImm.of(kw - 1).sub(rx.var());
            return sum(spread.get(n, ic, iy, ix).mul(weight.get(ic, ocInGroup, wy, wx)), rc, ry, rx);
        }, name);
    }

    /**
     * One spatial axis of the spread input: {@code in} elements {@code stride} apart, with
     * {@code before} positions in front (negative: cropped) and {@code after} behind.
     */
    private record Spread(long in, int stride, long before, long after) {
        long extent() {
            return (in - 1) * stride + 1 + before + after;
        }

        /** Whether spread position {@code i} holds an input element. */
        Expr onGrid(Var i) {
            Expr rel = before == 0 ? i : i.sub(before);
            Expr c = rel.ge(0L).and(rel.le((in - 1) * stride));
            return stride == 1 ? c : c.and(rel.floormod(stride).eq(0L));
        }

        /** The input element at spread position {@code i} (valid where {@link #onGrid} holds). */
        Expr source(Var i) {
            Expr rel = before == 0 ? i : i.sub(before);
            return stride == 1 ? rel : rel.floordiv(stride);
        }
    }

    private static void checkOutputPadding(int pad, int stride, int dilation, String axis) {
        if (pad < 0 || pad >= Math.max(stride, dilation)) {
            throw new IllegalArgumentException("convTranspose2dNchw: output padding " + pad + " along the " + axis
                    + " must be in [0, max(stride, dilation)) = [0, " + Math.max(stride, dilation) + ")");
        }
    }
}
