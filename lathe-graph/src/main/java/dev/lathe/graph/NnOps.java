package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.ops.Dims;
import dev.lathe.ops.Norm;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lathe.graph.OpTable.add;

/** Neural-network operators: matrix products, normalizations, softmax. Convolution and pooling are in {@link WindowOps}. */
final class NnOps {
    private NnOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        add(t, "MatMul", NnOps::matmul);
        add(t, "Gemm", NnOps::gemm);
        add(t, "BatchNormalization", NnOps::batchNorm);
        add(t, "Softmax", ctx -> softmax(ctx, false));
        add(t, "LogSoftmax", ctx -> softmax(ctx, true));
        add(t, "LayerNormalization", NnOps::layerNorm);
        WindowOps.register(t);
    }

    private static List<Tensor> matmul(LowerContext ctx) {
        Tensor a = ctx.in(0);
        Tensor b = ctx.in(1);
        if (a.ndim() == 0 || b.ndim() == 0) {
            throw new IllegalArgumentException(ctx.node().label() + ": MatMul operands must have rank >= 1");
        }
        // 1-D operands are promoted (a: prepend 1, b: append 1) and the added axis dropped from the result.
        List<Expr> as = a.ndim() == 1 ? List.of(IntImm.of(1), a.shape().getFirst()) : a.shape();
        List<Expr> bs = b.ndim() == 1 ? List.of(b.shape().getFirst(), IntImm.of(1)) : b.shape();
        Expr k = as.getLast();
        Dims.requireSame(k, bs.get(bs.size() - 2), ctx.node().label() + ": the inner dimensions");
        Tensor aBatch = Te.placeholder(as.subList(0, as.size() - 2), a.dtype(), "a_batch");
        Tensor bBatch = Te.placeholder(bs.subList(0, bs.size() - 2), b.dtype(), "b_batch");
        List<Expr> batch = Indexing.broadcastShape(List.of(aBatch, bBatch));
        List<Expr> shape = new ArrayList<>(batch);
        if (a.ndim() > 1) {
            shape.add(as.get(as.size() - 2));
        }
        if (b.ndim() > 1) {
            shape.add(bs.getLast());
        }
        int nb = batch.size();
        IterVar r = Te.reduceAxis(0, k, "k");
        return List.of(Te.computeN(shape, v -> {
            List<Expr> bv = new ArrayList<>(v.subList(0, nb));
            Expr i = a.ndim() > 1 ? v.get(nb) : null;
            Expr j = b.ndim() > 1 ? v.getLast() : null;
            List<Expr> ai = batchIndex(a, bv, i, r.var(), true);
            List<Expr> bi = batchIndex(b, bv, r.var(), j, false);
            return Te.sum(a.get(ai).mul(b.get(bi)), r);
        }, ctx.out(0)));
    }

    /** The index of a MatMul operand: broadcast batch dimensions, then its two matrix indices. */
    private static List<Expr> batchIndex(Tensor t, List<Expr> batch, Expr row, Expr col, boolean isA) {
        if (t.ndim() == 1) {
            return List.of(isA ? col : row);
        }
        int tb = t.ndim() - 2;
        List<Expr> idx = new ArrayList<>();
        for (int d = 0; d < tb; d++) {
            idx.add(Dims.is(t.shape().get(d), 1) ? IntImm.of(0) : batch.get(batch.size() - tb + d));
        }
        idx.add(row);
        idx.add(col);
        return idx;
    }

    private static List<Tensor> gemm(LowerContext ctx) {
        Tensor a = ctx.in(0);
        Tensor b = ctx.in(1);
        boolean ta = ctx.node().intAttr("transA", 0) != 0;
        boolean tb = ctx.node().intAttr("transB", 0) != 0;
        double alpha = ctx.node().floatAttr("alpha", 1.0);
        double beta = ctx.node().floatAttr("beta", 1.0);
        Expr m = a.shape().get(ta ? 1 : 0);
        Expr k = a.shape().get(ta ? 0 : 1);
        Expr n = b.shape().get(tb ? 0 : 1);
        IterVar r = Te.reduceAxis(0, k, "k");
        DType d = a.dtype();
        Tensor prod = Te.compute(List.of(m, n), (i, j) -> Te.sum(
                (ta ? a.get(r.var(), i) : a.get(i, r.var())).mul(tb ? b.get(j, r.var()) : b.get(r.var(), j)), r),
                ctx.out(0) + "_mm");
        Tensor c = ctx.has(2) ? ctx.in(2) : null;
        return List.of(Te.compute(List.of(m, n), (i, j) -> {
            Expr e = alpha == 1.0 ? prod.get(i, j) : prod.get(i, j).mul(Te.constant(alpha, d));
            if (c != null) {
                Expr cv = Indexing.bread(c, List.of(i, j));
                e = e.add(beta == 1.0 ? cv : cv.mul(Te.constant(beta, d)));
            }
            return e;
        }, ctx.out(0)));
    }

    private static List<Tensor> batchNorm(LowerContext ctx) {
        if (ctx.node().intAttr("training_mode", 0) != 0) {
            throw ctx.unsupported("training_mode=1 (only inference is compiled)");
        }
        Tensor x = ctx.in(0);
        Tensor scale = ctx.in(1);
        Tensor bias = ctx.in(2);
        Tensor mean = ctx.in(3);
        Tensor var = ctx.in(4);
        double eps = ctx.node().floatAttr("epsilon", 1e-5);
        DType d = x.dtype();
        return List.of(Te.computeN(x.shape(), v -> {
            Var c = v.get(1);
            Expr inv = Te.rsqrt(var.get(c).add(Te.constant(eps, d)));
            return x.get(v).sub(mean.get(c)).mul(inv).mul(scale.get(c)).add(bias.get(c));
        }, ctx.out(0)));
    }

    private static List<Tensor> softmax(LowerContext ctx, boolean log) {
        Tensor x = ctx.in(0);
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", -1), x.ndim());
        Tensor s = Norm.softmax(x, axis, log ? ctx.out(0) + "_softmax" : ctx.out(0));
        return List.of(log ? Te.computeN(x.shape(), v -> Te.log(s.get(v)), ctx.out(0)) : s);
    }

    private static List<Tensor> layerNorm(LowerContext ctx) {
        Tensor x = ctx.in(0);
        Tensor scale = ctx.in(1);
        Tensor bias = ctx.has(2) ? ctx.in(2) : null;
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", -1), x.ndim());
        double eps = ctx.node().floatAttr("epsilon", 1e-5);
        DType d = x.dtype();
        List<Expr> normShape = x.shape().subList(axis, x.ndim());
        Expr count = Indexing.product(normShape).cast(d);
        List<Expr> statShape = new ArrayList<>(x.shape().subList(0, axis));
        for (int i = axis; i < x.ndim(); i++) {
            statShape.add(IntImm.of(1));
        }
        String y = ctx.out(0);
        IterVar[] r1 = reduceAxes(normShape, "k");
        Tensor sum = Te.computeN(statShape, v -> Te.sum(x.get(point(v, axis, r1)), r1), y + "_sum");
        Tensor mean = Te.computeN(statShape, v -> sum.get(v).div(count), y + "_mean");
        Tensor centered = Te.computeN(x.shape(), v -> x.get(v).sub(mean.get(stat(v, axis))), y + "_centered");
        IterVar[] r2 = reduceAxes(normShape, "q");
        Tensor sq = Te.computeN(statShape, v -> {
            Expr c = centered.get(point(v, axis, r2));
            return Te.sum(c.mul(c), r2);
        }, y + "_varsum");
        Tensor invStd = Te.computeN(statShape, v -> Te.rsqrt(sq.get(v).div(count).add(Te.constant(eps, d))),
                y + "_invstd");
        Tensor out = Te.computeN(x.shape(), v -> {
            List<Expr> tail = new ArrayList<>(v.subList(axis, v.size()));
            Expr e = centered.get(v).mul(invStd.get(stat(v, axis))).mul(Indexing.bread(scale, tail));
            return bias == null ? e : e.add(Indexing.bread(bias, tail));
        }, y);
        List<Tensor> outs = new ArrayList<>(List.of(out, mean, invStd));
        return outs.subList(0, ctx.node().outputs().size());
    }

    /** One reduce axis per dimension of a shape. */
    static IterVar[] reduceAxes(List<Expr> shape, String prefix) {
        IterVar[] r = new IterVar[shape.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Te.reduceAxis(0, shape.get(i), prefix + i);
        }
        return r;
    }

    /** The outer point {@code v[0, axis)} followed by the reduce variables. */
    private static List<Expr> point(List<Var> v, int axis, IterVar[] r) {
        List<Expr> idx = new ArrayList<>(v.subList(0, axis));
        for (IterVar iv : r) {
            idx.add(iv.var());
        }
        return idx;
    }

    /** The statistics index of an input point: outer indices kept, normalized ones at 0. */
    private static List<Expr> stat(List<Var> v, int axis) {
        List<Expr> idx = new ArrayList<>(v.subList(0, axis));
        for (int i = axis; i < v.size(); i++) {
            idx.add(IntImm.of(0));
        }
        return idx;
    }
}
