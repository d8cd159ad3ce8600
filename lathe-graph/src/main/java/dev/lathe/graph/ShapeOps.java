package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;
import dev.lathe.ops.Dims;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
        add(t, "Flatten", ctx -> {
            Tensor x = ctx.in(0);
            int axis = (int) (ctx.node().intAttr("axis", 1) < 0 ? ctx.node().intAttr("axis", 1) + x.ndim()
                    : ctx.node().intAttr("axis", 1));
            List<Expr> shape = List.of(Indexing.product(x.shape().subList(0, axis)),
                    Indexing.product(x.shape().subList(axis, x.ndim())));
            return List.of(view(x, shape, ctx.out(0)));
        });
        add(t, "Squeeze", ShapeOps::squeeze, 1);
        add(t, "Unsqueeze", ShapeOps::unsqueeze, 1);
        add(t, "Transpose", ctx -> {
            Tensor x = ctx.in(0);
            long[] perm = ctx.node().intsAttr("perm");
            int r = x.ndim();
            int[] p = new int[r];
            for (int d = 0; d < r; d++) {
                p[d] = perm == null ? r - 1 - d : (int) perm[d];
            }
            List<Expr> shape = Arrays.stream(p).mapToObj(d -> x.shape().get(d)).toList();
            return List.of(Te.computeN(shape, v -> {
                Expr[] idx = new Expr[r];
                for (int d = 0; d < r; d++) {
                    idx[p[d]] = v.get(d);
                }
                return x.get(List.of(idx));
            }, ctx.out(0)));
        });
        add(t, "Concat", ShapeOps::concat);
        add(t, "Split", ShapeOps::split, 1);
        add(t, "Slice", ShapeOps::slice, 1, 2, 3, 4);
        add(t, "Gather", ShapeOps::gather);
        add(t, "Shape", ShapeOps::shape);
        add(t, "Size", ctx -> List.of(Te.computeN(List.of(), v -> Indexing.product(ctx.in(0).shape()).cast(DType.INT64),
                ctx.out(0))));
        add(t, "Expand", ctx -> {
            Tensor x = ctx.in(0);
            long[] dims = ctx.value(1).longs();
            Tensor like = Te.placeholder(Arrays.stream(dims).boxed().toList(), x.dtype(), "expand_shape");
            return List.of(Indexing.broadcast(List.of(x, like), v -> v.getFirst(), ctx.out(0)));
        }, 1);
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
        Tensor x = ctx.in(0);
        long[] axes = axes(ctx);
        TreeSet<Integer> drop = new TreeSet<>();
        for (int d = 0; d < x.ndim(); d++) {
            if (axes == null ? Dims.is(x.shape().get(d), 1) : contains(ctx, axes, d, x.ndim())) {
                drop.add(d);
            }
        }
        List<Expr> shape = new ArrayList<>();
        for (int d = 0; d < x.ndim(); d++) {
            if (!drop.contains(d)) {
                shape.add(x.shape().get(d));
            }
        }
        return List.of(view(x, shape, ctx.out(0)));
    }

    private static List<Tensor> unsqueeze(LowerContext ctx) {
        Tensor x = ctx.in(0);
        long[] axes = axes(ctx);
        int rank = x.ndim() + axes.length;
        List<Expr> shape = new ArrayList<>();
        int src = 0;
        for (int d = 0; d < rank; d++) {
            shape.add(contains(ctx, axes, d, rank) ? IntImm.of(1) : x.shape().get(src++));
        }
        return List.of(view(x, shape, ctx.out(0)));
    }

    private static boolean contains(LowerContext ctx, long[] axes, int d, int rank) {
        for (long a : axes) {
            if (Indexing.axis(ctx, a, rank) == d) {
                return true;
            }
        }
        return false;
    }

    private static List<Tensor> concat(LowerContext ctx) {
        List<Tensor> ins = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) {
            ins.add(ctx.in(i));
        }
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", 0), ins.getFirst().ndim());
        List<Expr> offsets = new ArrayList<>();
        Expr total = IntImm.of(0);
        for (Tensor in : ins) {
            offsets.add(total);
            total = Dims.constant(total).isPresent() && Dims.constant(in.shape().get(axis)).isPresent()
                    ? IntImm.of(Dims.constant(total).getAsLong() + Dims.constant(in.shape().get(axis)).getAsLong())
                    : total.add(in.shape().get(axis));
        }
        List<Expr> shape = new ArrayList<>(ins.getFirst().shape());
        shape.set(axis, total);
        List<Tensor> parts = ins.stream().filter(in -> !Dims.is(in.shape().get(axis), 0)).toList();
        List<Expr> partOffsets = ins.stream().filter(in -> !Dims.is(in.shape().get(axis), 0))
                .map(in -> offsets.get(ins.indexOf(in))).toList();
        return List.of(Te.computeN(shape, v -> {
            // Last part first: each earlier part takes over below the offset of the one after it.
            int last = parts.size() - 1;
            Expr e = readShifted(parts.get(last), v, axis, partOffsets.get(last));
            for (int p = last - 1; p >= 0; p--) {
                e = Te.ifThenElse(v.get(axis).lt(partOffsets.get(p + 1)),
                        readShifted(parts.get(p), v, axis, partOffsets.get(p)), e);
            }
            return e;
        }, ctx.out(0)));
    }

    /** {@code t} at the output point shifted back by the part's offset along the axis, clamped to stay inside. */
    private static Expr readShifted(Tensor t, List<Var> v, int axis, Expr offset) {
        List<Expr> idx = new ArrayList<>(v);
        idx.set(axis, Indexing.clamp(v.get(axis).sub(offset), t.shape().get(axis)));
        return t.get(idx);
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

    private static List<Tensor> gather(LowerContext ctx) {
        Tensor x = ctx.in(0);
        Tensor ind = ctx.in(1);
        int axis = Indexing.axis(ctx, ctx.node().intAttr("axis", 0), x.ndim());
        List<Expr> shape = new ArrayList<>(x.shape().subList(0, axis));
        shape.addAll(ind.shape());
        shape.addAll(x.shape().subList(axis + 1, x.ndim()));
        Expr dim = x.shape().get(axis);
        return List.of(Te.computeN(shape, v -> {
            Expr raw = ind.get(v.subList(axis, axis + ind.ndim())).cast(DType.INT64);
            Expr i = Indexing.clamp(Te.ifThenElse(raw.lt(0), raw.add(dim), raw), dim);
            List<Expr> idx = new ArrayList<>(v.subList(0, axis));
            idx.add(i);
            idx.addAll(v.subList(axis + ind.ndim(), v.size()));
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
