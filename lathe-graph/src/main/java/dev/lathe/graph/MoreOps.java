package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ops.ArgResult;
import dev.lathe.ops.Reduction;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lathe.graph.OpTable.add;

/** Operators beyond the core set of CNNs and transformers: fills, ranges, tiling, padding, arg-reductions. */
final class MoreOps {
    private MoreOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        add(t, "ConstantOfShape", MoreOps::constantOfShape, 0);
        add(t, "Range", MoreOps::range, 0, 1, 2);
        add(t, "Tile", MoreOps::tile, 1);
        add(t, "Pad", MoreOps::pad, 1, 3);
        add(t, "GatherElements", MoreOps::gatherElements);
        add(t, "Trilu", MoreOps::trilu, 1);
        add(t, "ArgMax", ctx -> arg(ctx, true));
        add(t, "ArgMin", ctx -> arg(ctx, false));
    }

    private static List<Tensor> constantOfShape(LowerContext ctx) {
        long[] dims = ctx.value(0).longs();
        Constant fill = ctx.node().attributes().get("value") instanceof Attribute.TensorValue(Constant c) ? c : null;
        DType dtype = fill == null ? DType.FLOAT32 : fill.data().dtype();
        double v = fill == null ? 0 : fill.data().getDouble(0);
        List<Expr> shape = java.util.Arrays.stream(dims).mapToObj(d -> (Expr) IntImm.of(d)).toList();
        return List.of(Te.computeN(shape, x -> Te.constant(v, dtype), ctx.out(0)));
    }

    private static List<Tensor> range(LowerContext ctx) {
        Constant start = ctx.value(0);
        DType dtype = start.data().dtype();
        double s = start.data().getDouble(0);
        double limit = ctx.value(1).data().getDouble(0);
        double delta = ctx.value(2).data().getDouble(0);
        long n = Math.max((long) Math.ceil((limit - s) / delta), 0);
        return List.of(Te.computeN(List.of(IntImm.of(n)),
                v -> Te.constant(s, dtype).add(v.getFirst().cast(dtype).mul(Te.constant(delta, dtype))), ctx.out(0)));
    }

    private static List<Tensor> tile(LowerContext ctx) {
        Tensor x = ctx.in(0);
        long[] reps = ctx.value(1).longs();
        List<Expr> shape = new ArrayList<>();
        for (int d = 0; d < x.ndim(); d++) {
            shape.add(x.shape().get(d).mul(reps[d]));
        }
        return List.of(Te.computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>();
            for (int d = 0; d < x.ndim(); d++) {
                idx.add(reps[d] == 1 ? v.get(d) : v.get(d).floormod(x.shape().get(d)));
            }
            return x.get(idx);
        }, ctx.out(0)));
    }

    /** Pad with mode constant, edge or reflect; pads are {@code [begin..., end...]} over all axes or over input 3's axes. */
    private static List<Tensor> pad(LowerContext ctx) {
        Tensor x = ctx.in(0);
        int r = x.ndim();
        long[] given = ctx.value(1).longs();
        long[] axesIn = ctx.longsOrNull(3);
        long[] before = new long[r];
        long[] after = new long[r];
        int k = given.length / 2;
        for (int i = 0; i < k; i++) {
            int a = axesIn == null ? i : Indexing.axis(ctx, axesIn[i], r);
            before[a] = given[i];
            after[a] = given[i + k];
        }
        String mode = ctx.node().stringAttr("mode", "constant");
        Expr fill = ctx.has(2) ? ctx.in(2).get(List.of()) : Te.constant(0, x.dtype());
        List<Expr> shape = new ArrayList<>();
        for (int d = 0; d < r; d++) {
            shape.add(x.shape().get(d).add(before[d] + after[d]));
        }
        return List.of(Te.computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>();
            Expr inside = IntImm.TRUE;
            for (int d = 0; d < r; d++) {
                Expr i = v.get(d).sub(before[d]);
                Expr n = x.shape().get(d);
                switch (mode) {
                    case "constant" -> inside = inside.and(i.ge(0)).and(i.lt(n));
                    case "edge" -> i = Indexing.clamp(i, n);
                    case "reflect" -> {
                        // Mirror without repeating the edge: -1 -> 1, n -> n - 2.
                        i = Te.ifThenElse(i.lt(0), i.neg(), i);
                        i = Te.ifThenElse(i.ge(n), n.mul(2).sub(2).sub(i), i);
                    }
                    default -> throw ctx.unsupported("mode=" + mode);
                }
                idx.add(i);
            }
            return Indexing.guardedRead(x, idx, inside, fill);
        }, ctx.out(0)));
    }

    /** {@code out[p] = data[p with the axis index replaced by indices[p]]}; negative indices count from the end. */
    private static List<Tensor> gatherElements(LowerContext ctx) {
        Tensor data = ctx.in(0);
        Tensor ind = ctx.in(1);
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", 0), data.ndim());
        Expr dim = data.shape().get(axis);
        return List.of(Te.computeN(ind.shape(), v -> {
            Expr raw = ind.get(v).cast(DType.INT64);
            List<Expr> idx = new ArrayList<>(v);
            idx.set(axis, Indexing.clamp(Te.ifThenElse(raw.lt(0), raw.add(dim), raw), dim));
            return data.get(idx);
        }, ctx.out(0)));
    }

    /** The upper (or lower) triangle of the last two axes, from diagonal k on; the rest zero. */
    private static List<Tensor> trilu(LowerContext ctx) {
        Tensor x = ctx.in(0);
        long k = ctx.has(1) ? ctx.value(1).longs()[0] : 0;
        boolean upper = ctx.node().intAttr("upper", 1) != 0;
        int r = x.ndim();
        return List.of(Te.computeN(x.shape(), v -> {
            Expr diff = v.get(r - 1).sub(v.get(r - 2));
            Expr keep = upper ? diff.ge(k) : diff.le(k);
            return Te.ifThenElse(keep, x.get(v), Te.constant(0, x.dtype()));
        }, ctx.out(0)));
    }

    private static List<Tensor> arg(LowerContext ctx, boolean max) {
        if (ctx.node().intAttr("select_last_index", 0) != 0) {
            throw ctx.unsupported("select_last_index=1");
        }
        Tensor x = ctx.in(0);
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", 0), x.ndim());
        ArgResult r = max ? Reduction.argmax(x, axis, DType.INT64, ctx.out(0) + "_arg")
                : Reduction.argmin(x, axis, DType.INT64, ctx.out(0) + "_arg");
        if (ctx.node().intAttr("keepdims", 1) == 0) {
            return List.of(Te.computeN(r.index().shape(), v -> r.index().get(v), ctx.out(0)));
        }
        List<Expr> shape = new ArrayList<>(x.shape());
        shape.set(axis, IntImm.of(1));
        return List.of(ShapeOps.view(r.index(), shape, ctx.out(0)));
    }
}
