package dev.lathe.ops.sparse;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Dims;
import dev.lathe.ops.Layout;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.computeN;

/**
 * 2-D convolutions with a sparse weight: the weight is a BSR matrix over the
 * {@code (CO, KH·KW·CI/groups)} view of the dense weight, its columns in the order of the layout's
 * dense weight flattened: {@code (ky, kx, ci)} for NHWC (weight {@code [KH, KW, CI/g, CO]}, column
 * {@code (ky·KW + kx)·CIg + ci}) and {@code (ci, ky, kx)} for NCHW (weight {@code [CO, CI/g, KH, KW]}
 * reshaped, column {@code (ci·KH + ky)·KW + kx}). Any kernel size, stride, padding, dilation and
 * groups (output channel {@code oc} belongs to group {@code oc / (CO/groups)}).
 * <p>
 * Two forms compute the same values: {@link #conv2d} reduces directly over the stored blocks,
 * reading the padded input at the window position each column stands for; {@link #im2colConv2d}
 * first gathers the windows into {@code cols[G, N·OH·OW, KH·KW·CIg]} (a dense stage the scheduler
 * can tile and place) and multiplies it by the BSR weight as in {@link Bsr#denseBsrT}.
 */
public final class SparseConv {
    private SparseConv() {
    }

    /** The kernel's extents, which the BSR view's column count {@code KH·KW·CIg} does not determine alone. */
    public record Kernel(int kh, int kw) {
        public Kernel {
            if (kh <= 0 || kw <= 0) {
                throw new IllegalArgumentException("sparse conv2d: the kernel extents must be positive, got " + kh + " x " + kw);
            }
        }
    }

    /**
     * The direct form: {@code out[n, oc, …] = Σ_{b of row oc/bsr} Σ_{c<bsc} data[b, oc%bsr, c] ·
     * flat[n, at(n, y, x, group) + offset[b, c]]}, where {@code <name>_flat[N, rest]} is the padded
     * input with its three inner dimensions flattened and {@code <name>_offset[nnzb, bsc]} holds the
     * flat position, relative to the output pixel's window corner, of the input element each stored
     * column multiplies. Tabulating the window decoding per stored column keeps the innermost loop
     * of a schedule (one block's column times several output pixels) to one load, one add and the
     * multiply-add, instead of decoding the column and testing the padding at every pixel.
     */
    public static Tensor conv2d(Tensor input, BsrTensors weight, Kernel k, Conv2dParams p, Layout layout, String name) {
        Shape s = Shape.of(input, weight, k, p, layout, name);
        Tensor pad = Conv.pad2d(input, layout, p.padding(), 0, name + "_pad");
        List<Expr> ps = pad.shape();
        Expr inner = Dims.times(Dims.times(ps.get(1), ps.get(2)), ps.get(3));
        Tensor flat = compute(List.of(ps.getFirst(), inner), (n, e) -> pad.get(n, e.floordiv(Dims.times(ps.get(2), ps.get(3))),
                e.floordiv(ps.get(3)).floormod(ps.get(2)), e.floormod(ps.get(3))), name + "_flat");
        int bsc = weight.blockCols();
        Tensor offset = compute(List.of(weight.indices().shape().getFirst(), IntImm.of(bsc)),
                (b, c) -> s.offset(ps, weight.indices().get(b).cast(dev.lathe.ir.DType.INT64).mul(bsc).add(c)),
                name + "_offset");
        return computeN(s.outShape(), idx -> {
            Expr oc = idx.get(layout.channelAxis());
            Expr at = s.corner(ps, idx.get(0), idx.get(layout.heightAxis()), idx.get(layout.widthAxis()), s.group(oc));
            return Bsr.blockSum(weight, oc, (b, c) -> flat.get(idx.get(0), at.add(offset.get(b.var(), c.var()))));
        }, name);
    }

    public static Tensor conv2dNhwc(Tensor input, BsrTensors weight, Kernel k, Conv2dParams p) {
        return conv2d(input, weight, k, p, Layout.NHWC, "sparse_conv2d_nhwc");
    }

    public static Tensor conv2dNchw(Tensor input, BsrTensors weight, Kernel k, Conv2dParams p) {
        return conv2d(input, weight, k, p, Layout.NCHW, "sparse_conv2d_nchw");
    }

    /**
     * The im2col form: a stage {@code <name>_im2col[G, N·OH·OW, KH·KW·CIg]} of input windows (row
     * {@code (n·OH + y)·OW + x}), then the product with the BSR weight written in {@code layout}.
     */
    public static Tensor im2colConv2d(Tensor input, BsrTensors weight, Kernel k, Conv2dParams p, Layout layout,
                                      String name) {
        Shape s = Shape.of(input, weight, k, p, layout, name);
        Tensor pad = Conv.pad2d(input, layout, p.padding(), 0, name + "_pad");
        Expr rows = Dims.times(Dims.times(s.n, s.oh), s.ow);
        Tensor cols = compute(List.of(IntImm.of(p.groups()), rows, weight.cols()), (g, r, col) -> {
            Expr x = r.floormod(s.ow);
            Expr y = r.floordiv(s.ow).floormod(s.oh);
            Expr n = r.floordiv(Dims.times(s.oh, s.ow));
            return s.read(pad, n, y, x, g, col);
        }, name + "_im2col");
        return computeN(s.outShape(), idx -> {
            Expr oc = idx.get(layout.channelAxis());
            Expr row = idx.get(0).mul(s.oh).add(idx.get(layout.heightAxis())).mul(s.ow).add(idx.get(layout.widthAxis()));
            return Bsr.blockSum(weight, oc, col -> cols.get(s.group(oc), row, col));
        }, name);
    }

    /** The extents of a checked convolution and how a weight column maps to an input element. */
    private record Shape(Layout layout, Kernel k, Conv2dParams p, Expr n, Expr oh, Expr ow, Expr co, long cinPerGroup) {
        static Shape of(Tensor input, BsrTensors w, Kernel k, Conv2dParams p, Layout layout, String what) {
            Dims.requireRank(input, 4, what + ": the input");
            Dims.requireSameDtype(input, w.data(), what);
            Expr cin = input.shape().get(layout.channelAxis());
            long ci = Dims.constant(cin).orElseThrow(() -> new IllegalArgumentException(
                    what + ": the input's channel count must be a literal, got " + cin));
            if (ci % p.groups() != 0) {
                throw new IllegalArgumentException(what + ": the input's " + ci + " channels do not divide into "
                        + p.groups() + " groups");
            }
            long cig = ci / p.groups();
            Dims.requireSame(w.cols(), IntImm.of((long) k.kh() * k.kw() * cig),
                    what + ": the sparse weight's cols and KH·KW·CI/groups (" + k.kh() + "·" + k.kw() + "·" + cig + ")");
            Dims.requireDivisible(w.rows(), p.groups(), what + ": the output channels (the weight's rows) by groups");
            Expr h = input.shape().get(layout.heightAxis());
            Expr wd = input.shape().get(layout.widthAxis());
            Expr oh = Dims.windowOutput(h, p.padding().top() + p.padding().bottom(), IntImm.of(k.kh()),
                    p.dilation().h(), p.stride().h(), what + ": the output height");
            Expr ow = Dims.windowOutput(wd, p.padding().left() + p.padding().right(), IntImm.of(k.kw()),
                    p.dilation().w(), p.stride().w(), what + ": the output width");
            return new Shape(layout, k, p, input.shape().getFirst(), oh, ow, w.rows(), cig);
        }

        List<Expr> outShape() {
            Expr[] out = new Expr[4];
            out[0] = n;
            out[layout.channelAxis()] = co;
            out[layout.heightAxis()] = oh;
            out[layout.widthAxis()] = ow;
            return List.of(out);
        }

        Expr group(Expr oc) {
            return p.groups() == 1 ? IntImm.of(0) : oc.floordiv(Dims.floordiv(co, p.groups()));
        }

        /** The window's (column 0's) flat position in {@code [H, W, C]} or {@code [C, H, W]} of the padded input {@code ps}, group {@code g}. */
        Expr corner(List<Expr> ps, Expr n, Expr y, Expr x, Expr g) {
            Expr iy = y.mul(p.stride().h());
            Expr ix = x.mul(p.stride().w());
            Expr ch = p.groups() == 1 ? IntImm.of(0) : g.mul(cinPerGroup);
            return layout == Layout.NHWC ? iy.mul(ps.get(2)).add(ix).mul(ps.get(3)).add(ch)
                    : ch.mul(ps.get(2)).add(iy).mul(ps.get(3)).add(ix);
        }

        /** Weight column {@code col}'s input element, relative to the window's corner (flat, as {@link #corner}). */
        Expr offset(List<Expr> ps, Expr col) {
            Expr[] w = window(col);
            Expr dy = w[0].mul(p.dilation().h());
            Expr dx = w[1].mul(p.dilation().w());
            return layout == Layout.NHWC ? dy.mul(ps.get(2)).add(dx).mul(ps.get(3)).add(w[2])
                    : w[2].mul(ps.get(2)).add(dy).mul(ps.get(3)).add(dx);
        }

        /** {@code (ky, kx, ci)} of weight column {@code col} in the layout's column order. */
        Expr[] window(Expr col) {
            if (layout == Layout.NHWC) {
                return new Expr[]{col.floordiv(k.kw() * cinPerGroup), col.floordiv(cinPerGroup).floormod(k.kw()),
                        col.floormod(cinPerGroup)};
            }
            return new Expr[]{col.floordiv(k.kw()).floormod(k.kh()), col.floormod(k.kw()),
                    col.floordiv((long) k.kh() * k.kw())};
        }

        /** The padded input element that weight column {@code col} multiplies at output {@code (n, y, x)} of group {@code g}. */
        Expr read(Tensor pad, Expr n, Expr y, Expr x, Expr g, Expr col) {
            Expr[] w = window(col);
            Expr ky = w[0];
            Expr kx = w[1];
            Expr ci = w[2];
            Expr iy = y.mul(p.stride().h()).add(ky.mul(p.dilation().h()));
            Expr ix = x.mul(p.stride().w()).add(kx.mul(p.dilation().w()));
            Expr ch = p.groups() == 1 ? ci : g.mul(cinPerGroup).add(ci);
            Expr[] at = new Expr[4];
            at[0] = n;
            at[layout.channelAxis()] = ch;
            at[layout.heightAxis()] = iy;
            at[layout.widthAxis()] = ix;
            return pad.get(at);
        }
    }
}
