package dev.lathe.ops;

import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;
import dev.lathe.te.Te;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static dev.lathe.te.Te.computeN;

/**
 * Element-wise maps and NumPy-style broadcasting. Two shapes broadcast when, aligned at their
 * last dimension, each pair of dimensions is equal or one of them is the literal 1 (a missing
 * leading dimension counts as 1). Symbolic dimensions must be the same expression to match: a
 * size variable against another variable or against a literal other than 1 is rejected, because
 * whether it broadcasts would only be known at run time.
 */
public final class Elementwise {
    private Elementwise() {
    }

    /** Applies {@code fn} to every element. */
    public static Tensor map(Tensor x, UnaryOperator<Expr> fn, String name) {
        return computeN(x.shape(), v -> fn.apply(x.get(v)), name);
    }

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tensor x) {
        return relu(x, "relu");
    }

    public static Tensor relu(Tensor x, String name) {
        Dims.requireNumeric(x, "relu");
        return map(x, e -> e.max(0), name);
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Tensor sigmoid(Tensor x, String name) {
        Dims.requireFloat(x, "sigmoid");
        return map(x, Te::sigmoid, name);
    }

    public static Tensor tanh(Tensor x, String name) {
        Dims.requireFloat(x, "tanh");
        return map(x, Te::tanh, name);
    }

    /** The exact GELU, {@code x/2 · (1 + erf(x/√2))}. */
    public static Tensor gelu(Tensor x, String name) {
        Dims.requireFloat(x, "gelu");
        return map(x, e -> e.mul(0.5).mul(Te.erf(e.mul(1 / Math.sqrt(2))).add(1)), name);
    }

    /** Adds {@code bias[C]} along dimension {@code axis} of {@code x} (negative axes count from the end). */
    public static Tensor biasAdd(Tensor x, Tensor bias, int axis) {
        return biasAdd(x, bias, axis, "bias_add");
    }

    public static Tensor biasAdd(Tensor x, Tensor bias, int axis, String name) {
        int a = Dims.axis(axis, x.ndim(), "biasAdd");
        Dims.requireRank(bias, 1, "biasAdd: the bias");
        Dims.requireSameDtype(x, bias, "biasAdd");
        Dims.requireNumeric(x, "biasAdd");
        Dims.requireSame(x.shape().get(a), bias.shape().getFirst(), "biasAdd: dimension " + a + " of the input and the bias length");
        return computeN(x.shape(), v -> x.get(v).add(bias.get(v.get(a))), name);
    }

    public static Tensor add(Tensor a, Tensor b) {
        return arithmetic(a, b, BinaryOp.ADD, "add");
    }

    public static Tensor subtract(Tensor a, Tensor b) {
        return arithmetic(a, b, BinaryOp.SUB, "subtract");
    }

    public static Tensor multiply(Tensor a, Tensor b) {
        return arithmetic(a, b, BinaryOp.MUL, "multiply");
    }

    /** True division for floats, floor division for integers (NumPy's {@code //} is not {@code /}; we pick the exact one). */
    public static Tensor divide(Tensor a, Tensor b) {
        return arithmetic(a, b, a.dtype().isInt() ? BinaryOp.FLOORDIV : BinaryOp.DIV, "divide");
    }

    /** Division rounding toward zero for integers (as C's {@code /}), true division for floats. */
    public static Tensor truncDivide(Tensor a, Tensor b) {
        return truncDivide(a, b, "trunc_divide");
    }

    public static Tensor truncDivide(Tensor a, Tensor b, String name) {
        return arithmetic(a, b, a.dtype().isInt() ? BinaryOp.TRUNCDIV : BinaryOp.DIV, name);
    }

    /** {@code a^b} with broadcasting, for float operands of one dtype. */
    public static Tensor power(Tensor a, Tensor b) {
        return power(a, b, "power");
    }

    public static Tensor power(Tensor a, Tensor b, String name) {
        Dims.requireSameDtype(a, b, "power");
        Dims.requireFloat(a, "power");
        return broadcastBinary(a, b, Te::pow, name);
    }

    public static Tensor maximum(Tensor a, Tensor b) {
        return arithmetic(a, b, BinaryOp.MAX, "maximum");
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        return arithmetic(a, b, BinaryOp.MIN, "minimum");
    }

    /** {@code a op b} for a binary operator with broadcasting, named {@code name}. */
    public static Tensor broadcastBinary(Tensor a, Tensor b, BinaryOp op, String name) {
        Dims.requireSameDtype(a, b, op.symbol());
        return broadcastBinary(a, b, (x, y) -> Te.binary(op, x, y), name);
    }

    private static Tensor arithmetic(Tensor a, Tensor b, BinaryOp op, String name) {
        Dims.requireSameDtype(a, b, name);
        Dims.requireNumeric(a, name);
        return broadcastBinary(a, b, op, name);
    }

    /** {@code op(a[...], b[...])} over the broadcast shape of {@code a} and {@code b}. */
    public static Tensor broadcastBinary(Tensor a, Tensor b, BinaryOperator<Expr> op, String name) {
        List<Expr> shape = broadcastShape(a.shape(), b.shape());
        return computeN(shape, v -> op.apply(a.get(broadcastIndex(a.shape(), v, shape)),
                b.get(broadcastIndex(b.shape(), v, shape))), name);
    }

    /** The broadcast of two shapes; throws when they do not broadcast. */
    public static List<Expr> broadcastShape(List<Expr> a, List<Expr> b) {
        int rank = Math.max(a.size(), b.size());
        List<Expr> out = new ArrayList<>(rank);
        for (int d = 0; d < rank; d++) {
            Expr da = dimFromEnd(a, rank - d);
            Expr db = dimFromEnd(b, rank - d);
            if (Dims.same(da, db) || Dims.is(db, 1)) {
                out.add(da);
            } else if (Dims.is(da, 1)) {
                out.add(db);
            } else {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast: dimension "
                        + da + " against " + db + " (aligned at the last dimension) must be equal or one of them 1"
                        + (Dims.constant(da).isPresent() && Dims.constant(db).isPresent() ? ""
                        : "; symbolic dimensions match only the same size variable, so reshape the tensor or use one variable"));
            }
        }
        return List.copyOf(out);
    }

    private static Expr dimFromEnd(List<Expr> shape, int fromEnd) {
        return fromEnd <= shape.size() ? shape.get(shape.size() - fromEnd) : IntImm.of(1);
    }

    /** The index into {@code t} for a point of the broadcast output: trailing dimensions aligned, broadcast ones at 0. */
    static List<Expr> broadcastIndex(Tensor t, List<Var> out) {
        return broadcastIndex(t.shape(), out);
    }

    /** As {@link #broadcastIndex(Tensor, List)} for an operand (or part of one) of shape {@code dims}. */
    static List<Expr> broadcastIndex(List<Expr> dims, List<Var> out) {
        int offset = out.size() - dims.size();
        List<Expr> idx = new ArrayList<>(dims.size());
        for (int d = 0; d < dims.size(); d++) {
            idx.add(Dims.is(dims.get(d), 1) ? IntImm.of(0) : out.get(offset + d));
        }
        return idx;
    }

    /**
     * As {@link #broadcastIndex(List, List)}, but a dimension of extent 1 in both the operand and the
     * output {@code outShape} is indexed by the output's variable rather than 0: the same element, and
     * the read stays element-wise (the same index as the output), so the auto-scheduler can fuse the
     * map into its producer's tiles (a residual Add after a batch-1 convolution).
     */
    public static List<Expr> broadcastIndex(List<Expr> dims, List<Var> out, List<Expr> outShape) {
        int offset = out.size() - dims.size();
        List<Expr> idx = new ArrayList<>(dims.size());
        for (int d = 0; d < dims.size(); d++) {
            boolean broadcast = Dims.is(dims.get(d), 1) && !Dims.is(outShape.get(offset + d), 1);
            idx.add(broadcast ? IntImm.of(0) : out.get(offset + d));
        }
        return idx;
    }

    /** Casts every element to {@code to}. */
    public static Tensor cast(Tensor x, DType to, String name) {
        return map(x, e -> e.cast(to), name);
    }
}
