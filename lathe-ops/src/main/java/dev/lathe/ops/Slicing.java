package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.ifThenElse;

/**
 * Selecting and joining parts of tensors: concat, split, strided slice and gather. Axes may be
 * negative. Every read stays inside its input: a concat reads each input only where the output
 * index falls in that input's range, and gather clamps its indices (see {@link #gather}).
 */
public final class Slicing {
    private Slicing() {
    }

    /** Joins tensors of one dtype along {@code axis}; all other dimensions must match. */
    public static Tensor concat(List<Tensor> inputs, int axis, String name) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one input");
        }
        Tensor first = inputs.getFirst();
        int a = Dims.axis(axis, first.ndim(), "concat");
        List<Expr> offsets = new ArrayList<>();
        Expr total = IntImm.of(0);
        for (Tensor t : inputs) {
            if (t.ndim() != first.ndim()) {
                throw new IllegalArgumentException("concat: " + t.name() + " has rank " + t.ndim() + " but "
                        + first.name() + " has rank " + first.ndim() + "; all inputs need one rank");
            }
            Dims.requireSameDtype(first, t, "concat");
            for (int d = 0; d < t.ndim(); d++) {
                if (d != a) {
                    Dims.requireSame(first.shape().get(d), t.shape().get(d),
                            "concat: dimension " + d + " of " + first.name() + " and " + t.name());
                }
            }
            offsets.add(total);
            total = add(total, t.shape().get(a));
        }
        if (inputs.size() == 1) {
            return Transform.identity(first, name);
        }
        List<Expr> shape = new ArrayList<>(first.shape());
        shape.set(a, total);
        return computeN(shape, v -> {
            Var i = v.get(a);
            Expr out = read(inputs.getLast(), v, a, offsets.getLast());
            for (int k = inputs.size() - 2; k >= 0; k--) {
                out = ifThenElse(i.lt(offsets.get(k + 1)), read(inputs.get(k), v, a, offsets.get(k)), out);
            }
            return out;
        }, name);
    }

    /** Splits {@code x} along {@code axis} into parts of the given literal lengths, which must add up to the extent. */
    public static List<Tensor> split(Tensor x, int axis, long[] lengths, String name) {
        int a = Dims.axis(axis, x.ndim(), "split");
        long extent = Dims.literal(x.shape().get(a), "split: axis " + a + " of " + x.name());
        long sum = 0;
        for (long l : lengths) {
            if (l <= 0) {
                throw new IllegalArgumentException("split: lengths " + Arrays.toString(lengths)
                        + " has a non-positive entry; every part needs at least one element");
            }
            sum += l;
        }
        if (sum != extent) {
            throw new IllegalArgumentException("split: lengths " + Arrays.toString(lengths) + " add up to " + sum
                    + " but axis " + axis + " of " + x.name() + " has extent " + extent);
        }
        List<Tensor> parts = new ArrayList<>();
        long start = 0;
        for (int k = 0; k < lengths.length; k++) {
            parts.add(slice(x, new long[] {start}, new long[] {start + lengths[k]}, new int[] {a}, null,
                    name + "_" + k));
            start += lengths[k];
        }
        return List.copyOf(parts);
    }

    /**
     * Splits {@code x} along {@code axis} into {@code parts} pieces of {@code ceil(extent/parts)}
     * elements, the last one holding the rest.
     */
    public static List<Tensor> split(Tensor x, int axis, int parts, String name) {
        int a = Dims.axis(axis, x.ndim(), "split");
        long extent = Dims.literal(x.shape().get(a), "split: axis " + a + " of " + x.name());
        if (parts <= 0 || parts > extent) {
            throw new IllegalArgumentException("split: cannot split extent " + extent + " of " + x.name()
                    + " into " + parts + " non-empty parts; use 1.." + extent);
        }
        long chunk = Math.ceilDiv(extent, parts);
        if (chunk * (parts - 1) >= extent) {
            throw new IllegalArgumentException("split: " + parts + " parts of " + chunk + " leave nothing for the last one of extent "
                    + extent + "; give the lengths explicitly");
        }
        long[] lengths = new long[parts];
        Arrays.fill(lengths, chunk);
        lengths[parts - 1] = extent - chunk * (parts - 1);
        return split(x, a, lengths, name);
    }

    /**
     * The strided slice {@code x[starts:ends:steps]} along {@code axes} (null: the first
     * {@code starts.length} axes; null {@code steps}: all 1). Negative starts and ends count from
     * the end of the axis; both are then clamped to the axis, {@code [0, extent]} for a positive
     * step and {@code [-1, extent-1]} for a negative one, so any integers (also ±2⁶³) are valid.
     * The sliced axes must have literal extents, and the result must not be empty.
     */
    public static Tensor slice(Tensor x, long[] starts, long[] ends, int[] axes, long[] steps, String name) {
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            throw new IllegalArgumentException("slice: starts, ends, axes and steps need one entry per sliced axis, but have "
                    + n + ", " + ends.length + ", " + (axes == null ? "-" : axes.length) + " and "
                    + (steps == null ? "-" : steps.length) + " entries");
        }
        long[] first = new long[x.ndim()];
        long[] step = new long[x.ndim()];
        Arrays.fill(step, 1);
        List<Expr> shape = new ArrayList<>(x.shape());
        boolean[] seen = new boolean[x.ndim()];
        for (int k = 0; k < n; k++) {
            int a = Dims.axis(axes == null ? k : axes[k], x.ndim(), "slice");
            if (seen[a]) {
                throw new IllegalArgumentException("slice: axis " + a + " is sliced twice; name each axis once");
            }
            seen[a] = true;
            long s = steps == null ? 1 : steps[k];
            if (s == 0) {
                throw new IllegalArgumentException("slice: step " + k + " is 0; steps must be non-zero");
            }
            long dim = Dims.literal(x.shape().get(a), "slice: axis " + a + " of " + x.name());
            long b = starts[k] < 0 ? saturatedAdd(starts[k], dim) : starts[k];
            long e = ends[k] < 0 ? saturatedAdd(ends[k], dim) : ends[k];
            long count;
            if (s > 0) {
                b = clamp(b, 0, dim);
                e = clamp(e, 0, dim);
                count = e > b ? (e - b + s - 1) / s : 0;
            } else {
                b = clamp(b, -1, dim - 1);
                e = clamp(e, -1, dim - 1);
                count = b > e ? (b - e + (-s) - 1) / (-s) : 0;
            }
            if (count == 0) {
                throw new IllegalArgumentException("slice: axis " + a + " of " + x.name() + " (extent " + dim
                        + ") sliced from " + starts[k] + " to " + ends[k] + " by " + s
                        + " is empty; empty tensors are not supported");
            }
            first[a] = b;
            step[a] = s;
            shape.set(a, IntImm.of(count));
        }
        return computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>();
            for (int d = 0; d < v.size(); d++) {
                Expr i = step[d] == 1 ? v.get(d) : v.get(d).mul(step[d]);
                idx.add(first[d] == 0 ? i : i.add(first[d]));
            }
            return x.get(idx);
        }, name);
    }

    /**
     * {@code out[i..., j..., k...] = data[i..., indices[j...], k...]} with {@code axis} the gathered
     * axis of {@code data}: the output's shape is data's with that axis replaced by indices' shape.
     * Indices are int32 or int64; a negative index counts from the end. Out-of-range indices are
     * clamped to the axis (they would be an error in the model; a kernel cannot report one, and a
     * clamp keeps every read inside {@code data}).
     */
    public static Tensor gather(Tensor data, Tensor indices, int axis, String name) {
        int a = Dims.axis(axis, data.ndim(), "gather");
        if (indices.dtype() != DType.INT32 && indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("gather: indices " + indices.name() + " must be int32 or int64, not "
                    + indices.dtype());
        }
        Expr extent = data.shape().get(a);
        int q = indices.ndim();
        List<Expr> shape = new ArrayList<>(data.shape().subList(0, a));
        shape.addAll(indices.shape());
        shape.addAll(data.shape().subList(a + 1, data.ndim()));
        return computeN(shape, v -> {
            Expr raw = indices.get(v.subList(a, a + q)).cast(DType.INT64);
            Expr wrapped = ifThenElse(raw.lt(0L), raw.add(extent), raw);
            Expr index = wrapped.max(0L).min(Dims.plus(extent, -1));
            List<Expr> idx = new ArrayList<Expr>(v.subList(0, a));
            idx.add(index);
            idx.addAll(v.subList(a + q, v.size()));
            return data.get(idx);
        }, name);
    }

    // ---- shared pieces

    private static Expr read(Tensor t, List<Var> v, int axis, Expr offset) {
        List<Expr> idx = new ArrayList<>(v);
        if (!Dims.is(offset, 0)) {
            idx.set(axis, v.get(axis).sub(offset));
        }
        return t.get(idx);
    }

    private static Expr add(Expr a, Expr b) {
        OptionalLong cb = Dims.constant(b);
        return cb.isPresent() ? Dims.plus(a, cb.getAsLong()) : Dims.is(a, 0) ? b : a.add(b);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
