package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.ir.Exprs;
import dev.lathe.ops.Pool;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.lathe.graph.OpTable.add;

/**
 * Operators over sliding windows of the spatial axes of an N, C, D1..Dk tensor (any k):
 * convolution, transposed convolution, max and average pooling, global pooling.
 */
final class WindowOps {
    private WindowOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        add(t, "Conv", WindowOps::conv);
        add(t, "ConvTranspose", WindowOps::convTranspose);
        add(t, "MaxPool", ctx -> pool(ctx, true));
        add(t, "AveragePool", ctx -> pool(ctx, false));
        add(t, "GlobalAveragePool", ctx -> List.of(Pool.globalAvgPool(ctx.in(0), ctx.out(0))));
        add(t, "GlobalMaxPool", ctx -> List.of(Pool.globalMaxPool(ctx.in(0), ctx.out(0))));
    }

    /** Window geometry along the spatial axes: kernel, strides, dilations, padding before and after. */
    private record Window(long[] in, long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd,
                          boolean ceil) {
        int k() {
            return kernel.length;
        }

        long out(int d) {
            long eff = dilations[d] * (kernel[d] - 1) + 1;
            long span = in[d] + padBegin[d] + padEnd[d] - eff;
            long o = (ceil ? Math.ceilDiv(span, strides[d]) : Math.floorDiv(span, strides[d])) + 1;
            // With ceil_mode a last window may not start inside the padded-before input.
            if (ceil && (o - 1) * strides[d] >= in[d] + padBegin[d]) {
                o--;
            }
            return o;
        }

        /** Input position along axis d of output o and kernel offset r. */
        Expr pos(int d, Expr o, Expr r) {
            Expr e = strides[d] == 1 ? o : o.mul(strides[d]);
            e = dilations[d] == 1 ? e.add(r) : e.add(r.mul(dilations[d]));
            return padBegin[d] == 0 ? e : e.sub(padBegin[d]);
        }
    }

    private static Window window(LowerContext ctx, Tensor x, long[] kernel) {
        Node n = ctx.node();
        int k = x.ndim() - 2;
        long[] in = new long[k];
        for (int d = 0; d < k; d++) {
            in[d] = Indexing.constDim(ctx, x.shape().get(d + 2), "a spatial axis");
        }
        long[] strides = orOnes(n.intsAttr("strides"), k);
        long[] dil = orOnes(n.intsAttr("dilations"), k);
        long[] pads = n.intsAttr("pads");
        long[] pb = new long[k];
        long[] pe = new long[k];
        String autoPad = n.stringAttr("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                if (pads != null) {
                    System.arraycopy(pads, 0, pb, 0, k);
                    System.arraycopy(pads, k, pe, 0, k);
                }
            }
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int d = 0; d < k; d++) {
                    long out = Math.ceilDiv(in[d], strides[d]);
                    long total = Math.max(0, (out - 1) * strides[d] + dil[d] * (kernel[d] - 1) + 1 - in[d]);
                    pb[d] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    pe[d] = total - pb[d];
                }
            }
            default -> throw ctx.unsupported("auto_pad=" + autoPad);
        }
        return new Window(in, kernel, strides, dil, pb, pe, n.intAttr("ceil_mode", 0) != 0);
    }

    private static long[] orOnes(long[] v, int k) {
        if (v != null) {
            return v;
        }
        long[] ones = new long[k];
        Arrays.fill(ones, 1);
        return ones;
    }

    private static List<Tensor> conv(LowerContext ctx) {
        Tensor x = ctx.in(0);
        Tensor w = ctx.in(1);
        Tensor b = ctx.has(2) ? ctx.in(2) : null;
        int k = x.ndim() - 2;
        if (k < 1) {
            throw ctx.unsupported("input of rank " + x.ndim() + " (need N, C and at least one spatial axis)");
        }
        long[] kernel = new long[k];
        for (int d = 0; d < k; d++) {
            kernel[d] = Indexing.constDim(ctx, w.shape().get(d + 2), "the kernel");
        }
        Window win = window(ctx, x, kernel);
        long group = ctx.node().intAttr("group", 1);
        long m = Indexing.constDim(ctx, w.shape().get(0), "the output channels");
        long cg = Indexing.constDim(ctx, w.shape().get(1), "the input channels per group");
        long mg = m / group;
        Tensor padded = pad(x, win, ctx.out(0) + "_pad");
        List<Expr> shape = new ArrayList<>(List.of(x.shape().get(0), IntImm.of(m)));
        for (int d = 0; d < k; d++) {
            shape.add(IntImm.of(win.out(d)));
        }
        IterVar rc = Te.reduceAxis(0, cg, "rc");
        IterVar[] rk = NnOps.reduceAxes(Arrays.stream(kernel).mapToObj(v -> (Expr) IntImm.of(v)).toList(), "rk");
        IterVar[] axes = concat(rc, rk);
        Tensor acc = Te.computeN(shape, v -> {
            Expr c = group == 1 ? rc.var() : v.get(1).floordiv(mg).mul(cg).add(rc.var());
            List<Expr> xi = new ArrayList<>(List.of(v.get(0), c));
            List<Expr> wi = new ArrayList<>(List.of(v.get(1), rc.var()));
            for (int d = 0; d < k; d++) {
                xi.add(win.pos(d, v.get(d + 2), rk[d].var()).add(win.padBegin[d]));
                wi.add(rk[d].var());
            }
            return Te.sum(padded.get(xi).mul(w.get(wi)), axes);
        }, b == null ? ctx.out(0) : ctx.out(0) + "_conv");
        return List.of(b == null ? acc : Te.computeN(shape, v -> acc.get(v).add(b.get(v.get(1))), ctx.out(0)));
    }

    /** The input padded with zeros on the spatial axes (as the window's positions shifted by padBegin). */
    private static Tensor pad(Tensor x, Window win, String name) {
        return padWith(x, win, Te.constant(0, x.dtype()), name);
    }

    private static Tensor padWith(Tensor x, Window win, Expr fill, String name) {
        boolean none = Arrays.stream(win.padBegin).allMatch(p -> p == 0) && Arrays.stream(win.padEnd).allMatch(p -> p == 0);
        if (none) {
            return x;
        }
        List<Expr> shape = new ArrayList<>(x.shape().subList(0, 2));
        for (int d = 0; d < win.k(); d++) {
            shape.add(IntImm.of(win.in[d] + win.padBegin[d] + win.padEnd[d]));
        }
        return Te.computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>(v.subList(0, 2));
            Expr inside = IntImm.TRUE;
            for (int d = 0; d < win.k(); d++) {
                Expr i = v.get(d + 2).sub(win.padBegin[d]);
                idx.add(i);
                inside = inside.and(i.ge(0)).and(i.lt(win.in[d]));
            }
            return Indexing.guardedRead(x, idx, inside, fill);
        }, name);
    }

    private static IterVar[] concat(IterVar first, IterVar[] rest) {
        IterVar[] all = new IterVar[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static List<Tensor> convTranspose(LowerContext ctx) {
        Tensor x = ctx.in(0);
        Tensor w = ctx.in(1);
        Tensor b = ctx.has(2) ? ctx.in(2) : null;
        Node n = ctx.node();
        int k = x.ndim() - 2;
        long group = n.intAttr("group", 1);
        long cin = Indexing.constDim(ctx, x.shape().get(1), "the input channels");
        long mg = Indexing.constDim(ctx, w.shape().get(1), "the output channels per group");
        long cg = cin / group;
        long[] in = new long[k];
        long[] kernel = new long[k];
        for (int d = 0; d < k; d++) {
            in[d] = Indexing.constDim(ctx, x.shape().get(d + 2), "a spatial axis");
            kernel[d] = Indexing.constDim(ctx, w.shape().get(d + 2), "the kernel");
        }
        long[] s = orOnes(n.intsAttr("strides"), k);
        long[] dil = orOnes(n.intsAttr("dilations"), k);
        long[] outPad = n.intsAttr("output_padding") == null ? new long[k] : n.intsAttr("output_padding");
        long[] pads = n.intsAttr("pads") == null ? new long[2 * k] : n.intsAttr("pads");
        long[] outShape = n.intsAttr("output_shape");
        String autoPad = n.stringAttr("auto_pad", "NOTSET");
        long[] out = new long[k];
        long[] pb = new long[k];
        for (int d = 0; d < k; d++) {
            long full = s[d] * (in[d] - 1) + outPad[d] + (kernel[d] - 1) * dil[d] + 1;
            if (outShape != null || !autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
                out[d] = outShape != null ? outShape[outShape.length - k + d] : in[d] * s[d];
                long total = Math.max(0, full - out[d]);
                pb[d] = autoPad.equals("SAME_UPPER") || autoPad.equals("NOTSET") ? total / 2 : total - total / 2;
                if (autoPad.equals("SAME_UPPER")) {
                    pb[d] = total / 2;
                } else if (autoPad.equals("SAME_LOWER")) {
                    pb[d] = total - total / 2;
                }
            } else {
                pb[d] = pads[d];
                out[d] = full - pads[d] - pads[d + k];
            }
        }
        List<Expr> shape = new ArrayList<>(List.of(x.shape().get(0), IntImm.of(mg * group)));
        for (long o : out) {
            shape.add(IntImm.of(o));
        }
        IterVar rc = Te.reduceAxis(0, cg, "rc");
        IterVar[] rk = NnOps.reduceAxes(Arrays.stream(kernel).mapToObj(v -> (Expr) IntImm.of(v)).toList(), "rk");
        IterVar[] axes = concat(rc, rk);
        Tensor acc = Te.computeN(shape, v -> {
            Expr g = group == 1 ? IntImm.of(0) : v.get(1).floordiv(mg);
            Expr c = group == 1 ? rc.var() : g.mul(cg).add(rc.var());
            Expr m = group == 1 ? v.get(1) : v.get(1).floormod(mg);
            Expr valid = IntImm.TRUE;
            List<Expr> xi = new ArrayList<>(List.of(v.get(0), c));
            List<Expr> wi = new ArrayList<>(List.of(c, m));
            for (int d = 0; d < k; d++) {
                // Output o receives input i through kernel tap r when i*s + r*dil - padBegin == o.
                Expr num = v.get(d + 2).add(pb[d]).sub(rk[d].var().mul(dil[d]));
                Expr i = num.floordiv(s[d]);
                valid = valid.and(num.floormod(s[d]).eq(0)).and(i.ge(0)).and(i.lt(in[d]));
                xi.add(Indexing.clamp(i, IntImm.of(in[d])));
                wi.add(rk[d].var());
            }
            Expr prod = x.get(xi).mul(w.get(wi));
            return Te.sum(Te.ifThenElse(valid, prod, Te.constant(0, x.dtype())), axes);
        }, b == null ? ctx.out(0) : ctx.out(0) + "_acc");
        return List.of(b == null ? acc : Te.computeN(shape, v -> acc.get(v).add(b.get(v.get(1))), ctx.out(0)));
    }

    private static List<Tensor> pool(LowerContext ctx, boolean max) {
        Tensor x = ctx.in(0);
        if (ctx.node().outputs().size() > 1 && !ctx.node().outputs().get(1).isEmpty()) {
            throw ctx.unsupported("the Indices output of MaxPool");
        }
        int k = x.ndim() - 2;
        Window win = window(ctx, x, ctx.node().intsAttr("kernel_shape"));
        List<Expr> shape = new ArrayList<>(x.shape().subList(0, 2));
        long[] outs = new long[k];
        for (int d = 0; d < k; d++) {
            outs[d] = win.out(d);
            shape.add(IntImm.of(outs[d]));
        }
        IterVar[] rk = NnOps.reduceAxes(Arrays.stream(win.kernel).mapToObj(v -> (Expr) IntImm.of(v)).toList(), "rk");
        DType dt = x.dtype();
        boolean includePad = ctx.node().intAttr("count_include_pad", 0) != 0;
        String name = max ? ctx.out(0) : ctx.out(0) + "_sum";
        Tensor red = Te.computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>(v.subList(0, 2));
            Expr inside = IntImm.TRUE;
            for (int d = 0; d < k; d++) {
                Expr i = win.pos(d, v.get(d + 2), rk[d].var());
                idx.add(i);
                inside = inside.and(i.ge(0)).and(i.lt(win.in[d]));
            }
            Expr fill = max ? Exprs.lowest(dt) : Te.constant(0, dt);
            Expr e = Indexing.guardedRead(x, idx, inside, fill);
            return max ? Te.max(e, rk) : Te.sum(e, rk);
        }, name);
        if (max) {
            return List.of(red);
        }
        return List.of(Te.computeN(shape, v -> {
            Expr count = IntImm.of(1);
            for (int d = 0; d < k; d++) {
                count = count.mul(covered(win, d, v.get(d + 2), includePad));
            }
            return red.get(v).div(count.cast(dt));
        }, ctx.out(0)));
    }

    /**
     * How many kernel taps of output o's window count for the average: those inside the input, or
     * with count_include_pad those inside the explicitly padded input (ceil_mode overhang never counts).
     */
    private static Expr covered(Window win, int d, Var o, boolean includePad) {
        long lo = includePad ? -win.padBegin[d] : 0;
        long hi = includePad ? win.in[d] + win.padEnd[d] : win.in[d];
        if (win.dilations[d] == 1) {
            Expr start = o.mul(win.strides[d]).sub(win.padBegin[d]);
            Expr end = start.add(win.kernel[d]);
            return end.min(hi).sub(start.max(lo));
        }
        Expr n = IntImm.of(0);
        for (long r = 0; r < win.kernel[d]; r++) {
            Expr i = win.pos(d, o, IntImm.of(r));
            n = n.add(Te.ifThenElse(i.ge(lo).and(i.lt(hi)), IntImm.of(1), IntImm.of(0)));
        }
        return n;
    }
}
