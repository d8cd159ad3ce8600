package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Var;
import dev.lathe.ops.Linalg;
import dev.lathe.ops.Norm;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lathe.graph.OpTable.add;

/** Neural-network operators: matrix products, normalizations, softmax (declared by lathe-ops). Convolution and pooling are in {@link WindowOps}. */
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
        return List.of(Linalg.matmulNd(ctx.in(0), ctx.in(1), ctx.out(0)));
    }

    private static List<Tensor> gemm(LowerContext ctx) {
        Node n = ctx.node();
        return List.of(Linalg.gemm(ctx.in(0), ctx.in(1), ctx.has(2) ? ctx.in(2) : null, n.floatAttr("alpha", 1.0),
                n.floatAttr("beta", 1.0), n.intAttr("transA", 0) != 0, n.intAttr("transB", 0) != 0, ctx.out(0)));
    }

    private static List<Tensor> batchNorm(LowerContext ctx) {
        if (ctx.node().intAttr("training_mode", 0) != 0) {
            throw ctx.unsupported("training_mode=1 (only inference is compiled)");
        }
        return List.of(Norm.batchNorm(ctx.in(0), ctx.in(1), ctx.in(2), ctx.in(3), ctx.in(4),
                ctx.node().floatAttr("epsilon", 1e-5), ctx.out(0)));
    }

    private static List<Tensor> softmax(LowerContext ctx, boolean log) {
        Tensor x = ctx.in(0);
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", -1), x.ndim());
        Tensor s = Norm.softmax(x, axis, log ? ctx.out(0) + "_softmax" : ctx.out(0));
        return List.of(log ? Te.computeN(x.shape(), v -> Te.log(s.get(v)), ctx.out(0)) : s);
    }

    private static List<Tensor> layerNorm(LowerContext ctx) {
        if (ctx.node().outputs().stream().skip(1).allMatch(String::isEmpty)) {
            return List.of(Norm.layerNorm(ctx.in(0), ctx.in(1), ctx.has(2) ? ctx.in(2) : null,
                    (int) ctx.node().intAttr("axis", -1), ctx.node().floatAttr("epsilon", 1e-5), ctx.out(0)));
        }
        // The Mean and InvStdDev outputs are asked for: the statistics become outputs of their own.
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
