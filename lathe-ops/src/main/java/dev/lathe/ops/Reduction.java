package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static dev.lathe.te.Te.computeMulti;
import static dev.lathe.te.Te.computeN;
import static dev.lathe.te.Te.ifThenElse;
import static dev.lathe.te.Te.max;
import static dev.lathe.te.Te.min;
import static dev.lathe.te.Te.prod;
import static dev.lathe.te.Te.reduce;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/**
 * Reductions: sum, mean, max, min and product over any set of axes (kept as extent 1 or
 * removed), arg-reductions over one axis with a two-value (index, value) reducer, and full
 * reductions to a rank-0 tensor.
 */
public final class Reduction {
    private Reduction() {
    }

    /**
     * The index and value of the maximum along {@code axis}; the axis is removed from the shape.
     * Ties go to the smaller index, so the result is the first maximum as in NumPy. NaNs get no
     * special treatment (comparisons with NaN are false, so which element wins is unspecified).
     */
    public static ArgResult argmax(Tensor x, int axis) {
        return argmax(x, axis, DType.INT64, "argmax");
    }

    /** {@link #argmax(Tensor, int)} with int32 or int64 indices. */
    public static ArgResult argmax(Tensor x, int axis, DType indexType, String name) {
        return arg(x, axis, indexType, true, name);
    }

    /** The index and value of the minimum along {@code axis}; ties go to the smaller index. */
    public static ArgResult argmin(Tensor x, int axis) {
        return argmin(x, axis, DType.INT64, "argmin");
    }

    public static ArgResult argmin(Tensor x, int axis, DType indexType, String name) {
        return arg(x, axis, indexType, false, name);
    }

    /**
     * The reducer over (index, value) pairs that keeps the larger value ({@code largest}) or the
     * smaller one, and on equal values the smaller index. It is a total order on pairs, hence
     * commutative and associative as a reducer must be. Its identity has the extreme index, so any
     * real element beats it even when the element's value equals the identity's (e.g. −∞).
     */
    public static Reducer argReducer(DType indexType, DType valueType, boolean largest) {
        if (indexType != DType.INT32 && indexType != DType.INT64) {
            throw new IllegalArgumentException("arg-reduction indices must be int32 or int64, not " + indexType);
        }
        Expr worst = largest ? Exprs.lowest(valueType) : Exprs.highest(valueType);
        return Reducer.define(largest ? "argmax" : "argmin", List.of(indexType, valueType), (x, y) -> {
            Var xi = x.get(0);
            Var xv = x.get(1);
            Var yi = y.get(0);
            Var yv = y.get(1);
            Expr better = largest ? yv.gt(xv) : yv.lt(xv);
            Expr takeY = better.or(yv.eq(xv).and(yi.lt(xi)));
            return List.of(ifThenElse(takeY, yi, xi), ifThenElse(takeY, yv, xv));
        }, List.of(Exprs.highest(indexType), worst));
    }

    private static ArgResult arg(Tensor x, int axis, DType indexType, boolean largest, String name) {
        String what = largest ? "argmax" : "argmin";
        Dims.requireNumeric(x, what);
        int a = Dims.axis(axis, x.ndim(), what);
        Reducer r = argReducer(indexType, x.dtype(), largest);
        IterVar k = reduceAxis(0, x.shape().get(a), "k");
        List<Tensor> out = computeMulti(Dims.without(x.shape(), a), v -> {
            List<Expr> idx = new ArrayList<>(v);
            idx.add(a, k.var());
            return reduce(r, List.of(k.var().cast(indexType), x.get(idx)), k);
        }, name);
        return new ArgResult(out.get(0), out.get(1));
    }

    /** The reductions of {@link #reduceAxes}. */
    public enum Kind {
        SUM, MEAN, MAX, MIN, PROD
    }

    /**
     * Reduces {@code x} over {@code axes} (negative ones count from the end; duplicates are an
     * error). With {@code keepDims} each reduced axis stays with extent 1. Empty or null
     * {@code axes} reduce every axis, or, with {@code noopWithEmptyAxes}, return a copy of
     * {@code x}. MEAN needs a float tensor and is two stages, {@code <name>_sum} and {@code <name>}.
     */
    public static Tensor reduceAxes(Tensor x, Kind kind, int[] axes, boolean keepDims, boolean noopWithEmptyAxes,
                                String name) {
        String what = "reduce" + kind.name().charAt(0) + kind.name().substring(1).toLowerCase(Locale.ROOT);
        Dims.requireNumeric(x, what);
        if (kind == Kind.MEAN) {
            Dims.requireFloat(x, what);
        }
        boolean[] reduced = new boolean[x.ndim()];
        if (axes == null || axes.length == 0) {
            if (noopWithEmptyAxes || x.ndim() == 0) {
                return Transform.identity(x, name);
            }
            Arrays.fill(reduced, true);
        } else {
            for (int axis : axes) {
                int a = Dims.axis(axis, x.ndim(), what);
                if (reduced[a]) {
                    throw new IllegalArgumentException(what + ": axes " + Arrays.toString(axes)
                            + " name axis " + a + " twice; name each axis once");
                }
                reduced[a] = true;
            }
        }
        List<Expr> shape = new ArrayList<>();
        List<IterVar> rk = new ArrayList<>();
        Expr count = null;
        for (int d = 0; d < reduced.length; d++) {
            Expr dim = x.shape().get(d);
            if (reduced[d]) {
                rk.add(reduceAxis(0, dim, "k" + d));
                count = count == null ? dim : Dims.times(count, dim);
                if (keepDims) {
                    shape.add(IntImm.of(1));
                }
            } else {
                shape.add(dim);
            }
        }
        IterVar[] ks = rk.toArray(IterVar[]::new);
        Tensor r = computeN(shape, v -> {
            List<Expr> idx = new ArrayList<>();
            int o = 0;
            int kk = 0;
            for (boolean red : reduced) {
                if (red) {
                    idx.add(ks[kk++].var());
                    o += keepDims ? 1 : 0;
                } else {
                    idx.add(v.get(o++));
                }
            }
            Expr src = x.get(idx);
            return switch (kind) {
                case SUM, MEAN -> sum(src, ks);
                case PROD -> prod(src, ks);
                case MAX -> max(src, ks);
                case MIN -> min(src, ks);
            };
        }, kind == Kind.MEAN ? name + "_sum" : name);
        if (kind != Kind.MEAN) {
            return r;
        }
        Expr n = count.cast(x.dtype());
        return computeN(shape, v -> r.get(v).div(n), name);
    }

    /** The sum of all elements, as a rank-0 tensor. */
    public static Tensor sumAll(Tensor x) {
        return sumAll(x, "sum_all");
    }

    public static Tensor sumAll(Tensor x, String name) {
        Dims.requireNumeric(x, "sumAll");
        return all(x, true, name);
    }

    /** The product of all elements, as a rank-0 tensor. */
    public static Tensor prodAll(Tensor x) {
        return prodAll(x, "prod_all");
    }

    public static Tensor prodAll(Tensor x, String name) {
        Dims.requireNumeric(x, "prodAll");
        return all(x, false, name);
    }

    private static Tensor all(Tensor x, boolean isSum, String name) {
        if (x.ndim() == 0) {
            // Nothing to reduce over; a reduction needs at least one axis, so this is a copy.
            return computeN(List.of(), v -> x.get(List.of()), name);
        }
        IterVar[] axes = new IterVar[x.ndim()];
        for (int d = 0; d < axes.length; d++) {
            axes[d] = reduceAxis(0, x.shape().get(d), "k" + d);
        }
        List<Expr> idx = new ArrayList<>();
        for (IterVar k : axes) {
            idx.add(k.var());
        }
        Expr src = x.get(idx);
        return computeN(List.of(), v -> isSum ? sum(src, axes) : prod(src, axes), name);
    }
}
