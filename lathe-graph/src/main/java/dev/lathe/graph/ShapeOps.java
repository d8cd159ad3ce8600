package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ops.Dims;
import dev.lathe.ops.Slicing;
import dev.lathe.ops.Transform;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.lathe.graph.OpTable.add;

/** Operators that move data without arithmetic: reshapes, transposes, slices, gathers, concatenation. */
final class ShapeOps {
    private ShapeOps() {
    }

    static void register(Map<String, OpTable.OpDef> t) {
        add(t, "Constant", ctx -> {
            throw new IllegalStateException(ctx.node().label() + " is folded by type inference, never lowered");
        });
        add(t, "Reshape", ShapeOps::reshape, 1);
        add(t, "Flatten", ctx -> List.of(Transform.flatten(ctx.in(0), (int) ctx.node().intAttr("axis", 1), ctx.out(0))));
        add(t, "Squeeze", ShapeOps::squeeze, 1);
        add(t, "Unsqueeze", ShapeOps::unsqueeze, 1);
        add(t, "Transpose", ctx -> {
            long[] perm = ctx.node().intsAttr("perm");
            return List.of(Transform.transpose(ctx.in(0), perm == null ? null : ints(perm), ctx.out(0)));
        });
        add(t, "Concat", ctx -> List.of(Slicing.concat(IntStream.range(0, ctx.inputCount()).mapToObj(ctx::in).toList(),
                (int) ctx.node().intAttr("axis", 0), ctx.out(0))));
        add(t, "Split", ShapeOps::split, 1);
        add(t, "Slice", ShapeOps::slice, 1, 2, 3, 4);
        add(t, "Gather", ctx -> List.of(Slicing.gather(ctx.in(0), ctx.in(1), (int) ctx.node().intAttr("axis", 0),
                ctx.out(0))));
        add(t, "Shape", ShapeOps::shape);
        add(t, "Size", ctx -> List.of(Te.computeN(List.of(), v -> Indexing.product(ctx.in(0).shape()).cast(DType.INT64),
                ctx.out(0))));
        add(t, "Expand", ctx -> List.of(Transform.expand(ctx.in(0), ctx.value(1).longs(), ctx.out(0))), 1);
    }

    /** {@code x} read as another shape with the same element count (row-major order). */
    static Tensor view(Tensor x, List<Expr> shape, String name) {
        return Te.computeN(shape, v -> x.get(Indexing.unlinear(Indexing.linear(v, shape), x.shape())), name);
    }

    private static List<Tensor> reshape(LowerContext ctx) {
        Tensor x = ctx.in(0);
        long[] target = ctx.value(1).longs();
        boolean allowZero = ctx.node().intAttr("allowzero", 0) != 0;
        List<Expr> shape = new ArrayList<>();
        int inferred = -1;
        for (int d = 0; d < target.length; d++) {
            if (target[d] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException(ctx.node().label() + ": more than one -1 in the target shape "
                            + Arrays.toString(target));
                }
                inferred = d;
                shape.add(IntImm.of(1));
            } else if (target[d] == 0 && !allowZero) {
                shape.add(x.shape().get(d));
            } else {
                shape.add(IntImm.of(target[d]));
            }
        }
        if (inferred >= 0) {
            Expr total = Indexing.product(x.shape());
            Expr known = Indexing.product(shape);
            var t = Dims.constant(total);
            var k = Dims.constant(known);
            shape.set(inferred, t.isPresent() && k.isPresent() && k.getAsLong() != 0
                    ? IntImm.of(t.getAsLong() / k.getAsLong()) : total.floordiv(known));
        }
        var before = Dims.constant(Indexing.product(x.shape()));
        var after = Dims.constant(Indexing.product(shape));
        if (before.isPresent() && after.isPresent() && before.getAsLong() != after.getAsLong()) {
            throw new IllegalArgumentException(ctx.node().label() + ": cannot reshape " + x.shape() + " ("
                    + before.getAsLong() + " elements) to " + Arrays.toString(target));
        }
        return List.of(view(x, shape, ctx.out(0)));
    }

    /** Axes from input 1 (opset 13+) or the {@code axes} attribute (older opsets). */
    private static long[] axes(LowerContext ctx) {
        long[] a = ctx.has(1) ? ctx.value(1).longs() : ctx.node().intsAttr("axes");
        return a;
    }

    private static List<Tensor> squeeze(LowerContext ctx) {
        long[] axes = axes(ctx);
        return List.of(Transform.squeeze(ctx.in(0), axes == null ? null : ints(axes), ctx.out(0)));
    }

    private static List<Tensor> unsqueeze(LowerContext ctx) {
        return List.of(Transform.unsqueeze(ctx.in(0), ints(axes(ctx)), ctx.out(0)));
    }

    private static int[] ints(long[] v) {
        return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
    }

    private static List<Tensor> split(LowerContext ctx) {
        Tensor x = ctx.in(0);
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", 0), x.ndim());
        int n = ctx.node().outputs().size();
        long extent = Indexing.constDim(ctx, x.shape().get(axis), "the split axis");
        long[] sizes = ctx.has(1) ? ctx.value(1).longs() : ctx.node().intsAttr("split");
        if (sizes == null) {
            long chunk = (extent + n - 1) / n;
            sizes = new long[n];
            for (int i = 0; i < n; i++) {
                sizes[i] = Math.max(0, Math.min(chunk, extent - chunk * i));
            }
        }
        List<Tensor> outs = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            List<Expr> shape = new ArrayList<>(x.shape());
            shape.set(axis, IntImm.of(sizes[i]));
            long off = offset;
            outs.add(Te.computeN(shape, v -> {
                List<Expr> idx = new ArrayList<>(v);
                idx.set(axis, v.get(axis).add(off));
                return x.get(idx);
            }, ctx.out(i)));
            offset += sizes[i];
        }
        return outs;
    }

    private static List<Tensor> slice(LowerContext ctx) {
        Tensor x = ctx.in(0);
        long[] starts = ctx.value(1).longs();
        long[] ends = ctx.value(2).longs();
        long[] axes = ctx.longsOrNull(3);
        long[] steps = ctx.longsOrNull(4);
        int r = x.ndim();
        long[] begin = new long[r];
        long[] step = new long[r];
        List<Expr> shape = new ArrayList<>(x.shape());
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int a = Indexing.axis(ctx, axes == null ? i : axes[i], r);
            long dim = Indexing.constDim(ctx, x.shape().get(a), "a sliced axis");
            long s = steps == null ? 1 : steps[i];
            if (s == 0) {
                throw new IllegalArgumentException(ctx.node().label() + ": slice step 0 on axis " + a);
            }
            long b = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (s > 0) {
                b = Math.clamp(b, 0, dim);
                e = Math.clamp(e, 0, dim);
            } else {
                b = Math.clamp(b, 0, dim - 1);
                e = Math.clamp(e, -1, dim - 1);
            }
            long count = s > 0 ? Math.max(0, (e - b + s - 1) / s) : Math.max(0, (b - e + (-s) - 1) / (-s));
            begin[a] = b;
            step[a] = s;
            shape.set(a, IntImm.of(count));
        }
        return List.of(Te.computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>(r);
            for (int d = 0; d < r; d++) {
                Expr i = step[d] == 1 ? v.get(d) : v.get(d).mul(step[d]);
                idx.add(begin[d] == 0 ? i : i.add(begin[d]));
            }
            return x.get(idx);
        }, ctx.out(0)));
    }

    private static List<Tensor> shape(LowerContext ctx) {
        Tensor x = ctx.in(0);
        int r = x.ndim();
        long start = ctx.node().intAttr("start", 0);
        long end = ctx.node().intAttr("end", r);
        int s = (int) Math.clamp(start < 0 ? start + r : start, 0, r);
        int e = (int) Math.clamp(end < 0 ? end + r : end, 0, r);
        List<Expr> dims = x.shape().subList(s, Math.max(s, e));
        return List.of(Te.computeN(List.of(IntImm.of(dims.size())), v -> {
            Expr out = IntImm.of(0).cast(DType.INT64);
            for (int d = dims.size() - 1; d >= 0; d--) {
                out = Te.ifThenElse(v.getFirst().eq(d), dims.get(d).cast(DType.INT64), out);
            }
            return out;
        }, ctx.out(0)));
    }
}
