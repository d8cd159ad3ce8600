package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ops.Reduction;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import static dev.lathe.graph.OpTable.add;

/** Reductions over a set of axes (ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ...). */
final class ReduceOps {
    private ReduceOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        kind(t, "ReduceSum", Reduction.Kind.SUM);
        kind(t, "ReduceMean", Reduction.Kind.MEAN);
        kind(t, "ReduceMax", Reduction.Kind.MAX);
        kind(t, "ReduceMin", Reduction.Kind.MIN);
        kind(t, "ReduceProd", Reduction.Kind.PROD);
        reduce(t, "ReduceSumSquare", Te::sum, x -> x.mul(x), false);
        reduce(t, "ReduceLogSumExp", Te::sum, Te::exp, false, Te::log);
        reduce(t, "ReduceLogSum", Te::sum, null, false, Te::log);
        reduce(t, "ReduceL2", Te::sum, x -> x.mul(x), false, Te::sqrt);
        reduce(t, "ReduceL1", Te::sum, x -> Te.ifThenElse(x.lt(Te.constant(0, x.dtype())), x.neg(), x), false);
    }

    /** A reduction lathe-ops declares. */
    private static void kind(Map<String, OpTable.OpDef> t, String op, Reduction.Kind kind) {
        add(t, op, ctx -> {
            long[] axes = ctx.has(1) ? ctx.value(1).longs() : ctx.node().intsAttr("axes");
            return List.of(Reduction.reduceAxes(ctx.in(0), kind,
                    axes == null ? null : java.util.Arrays.stream(axes).mapToInt(Math::toIntExact).toArray(),
                    ctx.node().intAttr("keepdims", 1) != 0, ctx.node().intAttr("noop_with_empty_axes", 0) != 0,
                    ctx.out(0)));
        }, 1);
    }

    /** A reduction of a mapped element (sum of squares, of absolute values), declared here. */
    private static void reduce(Map<String, OpTable.OpDef> t, String op, BiFunction<Expr, IterVar[], Expr> reducer,
                               UnaryOperator<Expr> pre, boolean mean) {
        add(t, op, ctx -> lower(ctx, reducer, pre, mean, ctx.out(0)), 1);
    }

    /** A reduction followed by an element-wise function of the result (log, sqrt). */
    private static void reduce(Map<String, OpTable.OpDef> t, String op, BiFunction<Expr, IterVar[], Expr> reducer,
                               UnaryOperator<Expr> pre, boolean mean, UnaryOperator<Expr> post) {
        add(t, op, ctx -> {
            Tensor red = lower(ctx, reducer, pre, mean, ctx.out(0) + "_red").getFirst();
            return List.of(Te.computeN(red.shape(), v -> post.apply(red.get(v)), ctx.out(0)));
        }, 1);
    }

    private static List<Tensor> lower(LowerContext ctx, BiFunction<Expr, IterVar[], Expr> reducer,
                                      UnaryOperator<Expr> pre, boolean mean, String outName) {
        Tensor x = ctx.in(0);
        int r = x.ndim();
        long[] axes = ctx.has(1) ? ctx.value(1).longs() : ctx.node().intsAttr("axes");
        boolean keep = ctx.node().intAttr("keepdims", 1) != 0;
        TreeSet<Integer> reduced = new TreeSet<>();
        if (axes == null || axes.length == 0) {
            if (ctx.node().intAttr("noop_with_empty_axes", 0) != 0) {
                return List.of(Te.computeN(x.shape(), v -> x.get(v), outName));
            }
            for (int d = 0; d < r; d++) {
                reduced.add(d);
            }
        } else {
            for (long a : axes) {
                reduced.add(Indexing.axis(ctx, a, r));
            }
        }
        List<Expr> shape = new ArrayList<>();
        List<Expr> extents = new ArrayList<>();
        for (int d = 0; d < r; d++) {
            if (reduced.contains(d)) {
                extents.add(x.shape().get(d));
                if (keep) {
                    shape.add(IntImm.of(1));
                }
            } else {
                shape.add(x.shape().get(d));
            }
        }
        if (extents.isEmpty()) {
            return List.of(Te.computeN(shape, v -> x.get(v), outName));
        }
        IterVar[] rv = NnOps.reduceAxes(extents, "k");
        String name = mean ? outName + "_sum" : outName;
        Tensor red = Te.computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>(r);
            int out = 0;
            int ri = 0;
            for (int d = 0; d < r; d++) {
                if (reduced.contains(d)) {
                    idx.add(rv[ri++].var());
                    if (keep) {
                        out++;
                    }
                } else {
                    idx.add(v.get(out++));
                }
            }
            Expr e = x.get(idx);
            return reducer.apply(pre == null ? e : pre.apply(e), rv);
        }, name);
        if (!mean) {
            return List.of(red);
        }
        DType d = x.dtype();
        Expr count = Indexing.product(extents).cast(d);
        return List.of(Te.computeN(shape, v -> red.get(v).div(count), outName));
    }
}
