package dev.lathe.ops;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static dev.lathe.te.Te.computeN;

/**
 * Shape transformations that move elements without arithmetic: reshape, flatten, squeeze,
 * unsqueeze, transpose, expand and identity. Axes may be negative (counting from the end). Each
 * result is a compute stage that a scheduler may inline into its consumer; reshapes of
 * row-major data keep the flat order of the elements.
 */
public final class Transform {
    private Transform() {
    }

    /** A copy of {@code x} (a stage of its own, so that an output never aliases an input). */
    public static Tensor identity(Tensor x, String name) {
        return computeN(x.shape(), x::get, name);
    }

    /**
     * Reshape with the conventions of graph formats: one entry may be {@code -1} (inferred from
     * the element count) and an entry {@code 0} copies the input's dimension at that position
     * (unless {@code allowZero}, where 0 is a literal zero extent, which is rejected here since
     * empty tensors have no kernel). Input dimensions must be literal, except symbolic ones that a
     * 0 entry copies at the same position (a dynamic batch: {@code [n, 3, 4]} to {@code [0, -1]}).
     */
    public static Tensor reshape(Tensor x, long[] shape, boolean allowZero, String name) {
        Expr[] out = new Expr[shape.length];
        boolean[] copiedSymbolic = new boolean[x.ndim()];
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < out.length; d++) {
            if (shape[d] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape)
                            + " has more than one -1; at most one dimension can be inferred");
                }
                inferred = d;
            } else if (shape[d] == 0 && !allowZero) {
                if (d >= x.ndim()) {
                    throw new IllegalArgumentException("reshape: shape entry " + d + " is 0 (copy the input's dimension), "
                            + "but the input " + x.name() + " has rank " + x.ndim());
                }
                out[d] = x.shape().get(d);
                OptionalLong c = Dims.constant(out[d]);
                if (c.isPresent()) {
                    known *= c.getAsLong();
                } else {
                    copiedSymbolic[d] = true;
                }
            } else if (shape[d] <= 0) {
                throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape) + " has entry " + shape[d]
                        + " at " + d + "; entries must be positive, -1 (infer) or 0 (copy)");
            } else {
                out[d] = IntImm.of(shape[d]);
                known *= shape[d];
            }
        }
        long total = 1;
        for (int d = 0; d < x.ndim(); d++) {
            if (!copiedSymbolic[d]) {
                total *= Dims.literal(x.shape().get(d), "reshape: dimension " + d + " of " + x.name()
                        + " (not copied by a 0 entry at the same position)");
            }
        }
        if (inferred >= 0) {
            if (total % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer the -1 in " + Arrays.toString(shape) + ": "
                        + total + " elements of " + x.name() + " are not a multiple of " + known);
            }
            out[inferred] = IntImm.of(total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("reshape: shape " + Arrays.toString(shape) + " has " + known
                    + " elements but " + x.name() + " " + x.shape() + " has " + total);
        }
        return reshapeTo(x, List.of(out), name);
    }

    public static Tensor reshape(Tensor x, long[] shape, String name) {
        return reshape(x, shape, false, name);
    }

    /**
     * {@code x} as a matrix {@code [d0·…·d(axis-1), d(axis)·…·d(n-1)]}; {@code axis} may be
     * 0..rank or negative. Dimensions may be symbolic.
     */
    public static Tensor flatten(Tensor x, int axis, String name) {
        int rank = x.ndim();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw new IllegalArgumentException("flatten: axis " + axis + " is out of range for rank " + rank
                    + "; use 0.." + rank + " or -" + rank + "..-1");
        }
        return reshapeTo(x, List.of(product(x.shape().subList(0, a)), product(x.shape().subList(a, rank))), name);
    }

    /**
     * Removes the listed axes, each of which must have extent 1; with {@code axes} null or empty,
     * every literal 1 dimension is removed.
     */
    public static Tensor squeeze(Tensor x, int[] axes, String name) {
        boolean[] drop = new boolean[x.ndim()];
        if (axes == null || axes.length == 0) {
            for (int d = 0; d < drop.length; d++) {
                drop[d] = Dims.is(x.shape().get(d), 1);
            }
        } else {
            for (int axis : axes) {
                int a = Dims.axis(axis, x.ndim(), "squeeze");
                if (!Dims.is(x.shape().get(a), 1)) {
                    throw new IllegalArgumentException("squeeze: axis " + axis + " of " + x.name() + " " + x.shape()
                            + " has extent " + x.shape().get(a) + ", not 1; only extent-1 axes can be removed");
                }
                drop[a] = true;
            }
        }
        List<Expr> shape = new ArrayList<>();
        for (int d = 0; d < drop.length; d++) {
            if (!drop[d]) {
                shape.add(x.shape().get(d));
            }
        }
        return computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>();
            int o = 0;
            for (boolean dropped : drop) {
                idx.add(dropped ? IntImm.of(0) : v.get(o++));
            }
            return x.get(idx);
        }, name);
    }

    /** Inserts extent-1 axes at the listed positions of the output (negative ones count from the output's end). */
    public static Tensor unsqueeze(Tensor x, int[] axes, String name) {
        int rank = x.ndim() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (int axis : axes) {
            int a = Dims.axis(axis, rank, "unsqueeze");
            if (inserted[a]) {
                throw new IllegalArgumentException("unsqueeze: axes " + Arrays.toString(axes) + " name output axis "
                        + a + " twice; each axis may appear once");
            }
            inserted[a] = true;
        }
        List<Expr> shape = new ArrayList<>();
        int i = 0;
        for (boolean ins : inserted) {
            shape.add(ins ? IntImm.of(1) : x.shape().get(i++));
        }
        return computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                if (!inserted[d]) {
                    idx.add(v.get(d));
                }
            }
            return x.get(idx);
        }, name);
    }

    /**
     * Permutes the axes: output axis {@code d} is input axis {@code perm[d]}. A null
     * {@code perm} reverses the axes.
     */
    public static Tensor transpose(Tensor x, int[] perm, String name) {
        int rank = x.ndim();
        int[] p = perm == null ? reversed(rank) : perm.clone();
        if (p.length != rank) {
            throw new IllegalArgumentException("transpose: perm " + Arrays.toString(perm) + " has " + p.length
                    + " entries but " + x.name() + " has rank " + rank + "; give one entry per axis");
        }
        boolean[] seen = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            p[d] = Dims.axis(p[d], rank, "transpose: perm");
            if (seen[p[d]]) {
                throw new IllegalArgumentException("transpose: perm " + Arrays.toString(perm)
                        + " is not a permutation; axis " + p[d] + " appears twice");
            }
            seen[p[d]] = true;
        }
        List<Expr> shape = new ArrayList<>();
        for (int d : p) {
            shape.add(x.shape().get(d));
        }
        return computeN(shape, v -> {
            Expr[] idx = new Expr[rank];
            for (int d = 0; d < rank; d++) {
                idx[p[d]] = v.get(d);
            }
            return x.get(List.of(idx));
        }, name);
    }

    /** Broadcasts {@code x} with a shape (both ways, as in NumPy: the result has the broadcast of both). */
    public static Tensor expand(Tensor x, long[] shape, String name) {
        List<Expr> target = new ArrayList<>();
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("expand: shape " + Arrays.toString(shape) + " has a non-positive entry");
            }
            target.add(IntImm.of(d));
        }
        List<Expr> out = Elementwise.broadcastShape(x.shape(), target);
        return computeN(out, v -> x.get(Elementwise.broadcastIndex(x, v)), name);
    }

    // ---- shared pieces

    /** Reads row-major {@code x} as {@code shape} (with the same element count) through the flat index. */
    private static Tensor reshapeTo(Tensor x, List<Expr> shape, String name) {
        List<Expr> in = x.shape();
        if (in.size() == shape.size() && sameDims(in, shape)) {
            return identity(x, name);
        }
        return computeN(shape, v -> {
            Expr flat = null;
            for (int d = 0; d < shape.size(); d++) {
                if (!Dims.is(shape.get(d), 1)) {
                    flat = flat == null ? v.get(d) : flat.mul(shape.get(d)).add(v.get(d));
                }
            }
            Expr f = flat == null ? IntImm.of(0) : flat;
            List<Expr> idx = new ArrayList<>();
            for (int d = 0; d < in.size(); d++) {
                Expr stride = product(in.subList(d + 1, in.size()));
                Expr q = Dims.is(stride, 1) ? f : f.floordiv(stride);
                idx.add(Dims.is(in.get(d), 1) ? IntImm.of(0) : d == 0 ? q : q.floormod(in.get(d)));
            }
            return x.get(idx);
        }, name);
    }

    private static boolean sameDims(List<Expr> a, List<Expr> b) {
        for (int d = 0; d < a.size(); d++) {
            if (!Dims.same(a.get(d), b.get(d))) {
                return false;
            }
        }
        return true;
    }

    private static Expr product(List<Expr> dims) {
        Expr p = IntImm.of(1);
        for (Expr d : dims) {
            p = Dims.times(p, d);
        }
        return p;
    }

    /** The literal extents of a tensor; rejects symbolic ones with a message naming the op. */
    static long[] literalShape(Tensor x, String what) {
        long[] s = new long[x.ndim()];
        for (int d = 0; d < s.length; d++) {
            s[d] = Dims.literal(x.shape().get(d), what + ": dimension " + d + " of " + x.name());
        }
        return s;
    }

    private static int[] reversed(int rank) {
        int[] p = new int[rank];
        for (int d = 0; d < rank; d++) {
            p[d] = rank - 1 - d;
        }
        return p;
    }
}
