package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Arithmetic and checks on shape dimensions. Literal parts are folded here so that static shapes
 * stay literal (the core has no simplifier yet, and a literal output shape is what lets the ops
 * validate their arguments eagerly).
 */
public final class Dims {
    private Dims() {
    }

    /** The value of a literal dimension, empty for a symbolic one. */
    public static OptionalLong constant(Expr dim) {
        return Exprs.asConst(dim);
    }

    /** True when two dimensions are provably equal: equal literals, or the same expression. */
    public static boolean same(Expr a, Expr b) {
        OptionalLong ca = constant(a);
        OptionalLong cb = constant(b);
        if (ca.isPresent() && cb.isPresent()) {
            return ca.getAsLong() == cb.getAsLong();
        }
        return a.equals(b);
    }

    /** True when a dimension is the literal {@code value}. */
    public static boolean is(Expr dim, long value) {
        OptionalLong c = constant(dim);
        return c.isPresent() && c.getAsLong() == value;
    }

    /**
     * Requires two dimensions that must match to be provably equal. Two different symbolic
     * dimensions are rejected too: a kernel would read out of bounds if they differed at run time.
     */
    public static void requireSame(Expr a, Expr b, String what) {
        if (!same(a, b)) {
            throw new IllegalArgumentException(what + " must be equal, but are " + a + " and " + b
                    + (constant(a).isPresent() && constant(b).isPresent() ? ""
                    : "; give both tensors the same size variable (or literal) for this dimension"));
        }
    }

    /** {@code dim + c}, folded when {@code dim} is literal. */
    public static Expr plus(Expr dim, long c) {
        if (c == 0) {
            return dim;
        }
        OptionalLong v = constant(dim);
        return v.isPresent() ? IntImm.of(v.getAsLong() + c) : c < 0 ? dim.sub(-c) : dim.add(c);
    }

    /** {@code dim * c}, folded when {@code dim} is literal. */
    public static Expr times(Expr dim, long c) {
        if (c == 1) {
            return dim;
        }
        OptionalLong v = constant(dim);
        return v.isPresent() ? IntImm.of(v.getAsLong() * c) : dim.mul(c);
    }

    /** {@code floordiv(dim, c)} for a positive {@code c}, folded when {@code dim} is literal. */
    public static Expr floordiv(Expr dim, long c) {
        if (c == 1) {
            return dim;
        }
        OptionalLong v = constant(dim);
        return v.isPresent() ? IntImm.of(Math.floorDiv(v.getAsLong(), c)) : dim.floordiv(c);
    }

    /** {@code a * b} of two dimensions, folded when both are literal. */
    public static Expr times(Expr a, Expr b) {
        OptionalLong cb = constant(b);
        if (cb.isPresent()) {
            return times(a, cb.getAsLong());
        }
        OptionalLong ca = constant(a);
        return ca.isPresent() ? times(b, ca.getAsLong()) : a.mul(b);
    }

    /**
     * The output extent of a sliding window: {@code (in + padTotal - dilation*(kernel-1) - 1) / stride + 1}.
     * The kernel extent may be symbolic; when everything is literal the result is checked to be positive.
     */
    public static Expr windowOutput(Expr in, long padTotal, Expr kernel, long dilation, long stride, String what) {
        Expr effective = dilation == 1 ? kernel : plus(times(plus(kernel, -1), dilation), 1);
        OptionalLong eff = constant(effective);
        // Keep the literal offset in one term so a static or half-static shape prints simply.
        Expr out;
        if (stride == 1) {
            out = eff.isPresent() ? plus(in, padTotal - eff.getAsLong() + 1) : plus(plus(in, padTotal).sub(effective), 1);
        } else {
            Expr span = eff.isPresent() ? plus(in, padTotal - eff.getAsLong()) : plus(in, padTotal).sub(effective);
            out = plus(floordiv(span, stride), 1);
        }
        OptionalLong c = constant(out);
        OptionalLong span = constant(plus(in, padTotal - (eff.isPresent() ? eff.getAsLong() : 0)));
        if (c.isPresent() && (c.getAsLong() <= 0 || span.getAsLong() < 0)) {
            throw new IllegalArgumentException(what + " would have output size " + Math.min(c.getAsLong(), 0)
                    + ": input extent " + in + " plus padding " + padTotal + " is smaller than the dilated kernel extent "
                    + effective + "; use a smaller kernel or dilation, or more padding");
        }
        return out;
    }

    /** The value of a dimension that must be literal; {@code what} names it in the error. */
    public static long literal(Expr dim, String what) {
        OptionalLong c = constant(dim);
        if (c.isEmpty()) {
            throw new IllegalArgumentException(what + " must be literal, but is " + dim
                    + "; bind the size variable to a number first");
        }
        return c.getAsLong();
    }

    /** Normalizes an axis that may count from the end ({@code -1} is the last) and checks it. */
    public static int axis(int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(what + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + "; use 0.." + (rank - 1) + " or -" + rank + "..-1");
        }
        return a;
    }

    /** A shape (or an index list) without one axis. */
    public static <T> List<T> without(List<T> shape, int axis) {
        List<T> out = new ArrayList<>(shape);
        out.remove(axis);
        return List.copyOf(out);
    }

    /** Requires a tensor of the given rank. */
    public static void requireRank(Tensor t, int rank, String what) {
        if (t.ndim() != rank) {
            throw new IllegalArgumentException(what + " must have rank " + rank + ", but " + t.name() + " has shape "
                    + t.shape());
        }
    }

    /** Requires a float element type, for ops whose arithmetic (division, exp, ...) needs one. */
    public static void requireFloat(Tensor t, String what) {
        if (!t.dtype().isFloat()) {
            throw new IllegalArgumentException(what + " needs a float tensor, but " + t.name() + " is " + t.dtype()
                    + "; cast it first");
        }
    }

    /** Requires two tensors of one element type. */
    public static void requireSameDtype(Tensor a, Tensor b, String what) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(what + " needs operands of one dtype, but " + a.name() + " is "
                    + a.dtype() + " and " + b.name() + " is " + b.dtype() + "; cast one of them first");
        }
    }

    /** Requires a tensor on which sums and products are defined (not bool). */
    public static void requireNumeric(Tensor t, String what) {
        if (t.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(what + " needs a numeric tensor, but " + t.name()
                    + " is bool; cast it to an integer or float type first");
        }
    }

    /** Requires a literal dimension to be a multiple of {@code divisor}; a symbolic one is accepted. */
    public static void requireDivisible(Expr dim, long divisor, String what) {
        OptionalLong c = constant(dim);
        if (c.isPresent() && c.getAsLong() % divisor != 0) {
            throw new IllegalArgumentException(what + " must be a multiple of " + divisor + ", but are " + c.getAsLong());
        }
    }
}
