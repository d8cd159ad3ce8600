package dev.lathe.ops;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Promote;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import static dev.lathe.te.Te.select;

/**
 * Element-wise activations and math functions of one tensor: leaky ReLU, clip, the error
 * function and both GELUs, sigmoid, tanh, sqrt and exp. The transcendental ones need a float
 * tensor; each maps to one math intrinsic of the IR (erf included), so the compiled kernel calls
 * the C library function and the reference evaluator its Java counterpart.
 */
public final class Activation {
    private Activation() {
    }

    /** {@code x} where {@code x >= 0}, otherwise {@code alpha·x}. */
    public static Tensor leakyRelu(Tensor x, double alpha, String name) {
        Dims.requireFloat(x, "leakyRelu");
        return Elementwise.map(x, e -> select(e.ge(0.0), e, e.mul(alpha)), name);
    }

    /**
     * {@code min(max(x, lo), hi)}; a null bound is absent (no clamp on that side). Bounds are
     * numbers converted to x's dtype; {@code lo > hi} gives {@code hi} everywhere, as
     * {@code min(max(...))} does.
     */
    public static Tensor clip(Tensor x, Number lo, Number hi, String name) {
        Dims.requireNumeric(x, "clip");
        if (isNaN(lo) || isNaN(hi)) {
            throw new IllegalArgumentException("clip: a bound is NaN; give a number or null for no bound");
        }
        Expr low = lo == null ? null : Promote.literal(lo, x.dtype());
        Expr high = hi == null ? null : Promote.literal(hi, x.dtype());
        return Elementwise.map(x, e -> {
            Expr r = low == null ? e : e.max(low);
            return high == null ? r : r.min(high);
        }, name);
    }

    public static Tensor erf(Tensor x, String name) {
        Dims.requireFloat(x, "erf");
        return Elementwise.map(x, Te::erf, name);
    }

    /**
     * GELU: exact {@code x/2 · (1 + erf(x/√2))}, or with {@code tanhApproximation}
     * {@code x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³)))}.
     */
    public static Tensor gelu(Tensor x, boolean tanhApproximation, String name) {
        if (!tanhApproximation) {
            return Elementwise.gelu(x, name);
        }
        Dims.requireFloat(x, "gelu");
        double k = Math.sqrt(2 / Math.PI);
        return Elementwise.map(x, e -> e.mul(0.5).mul(
                Te.tanh(e.add(e.mul(e).mul(e).mul(0.044715)).mul(k)).add(1.0)), name);
    }

    public static Tensor sigmoid(Tensor x, String name) {
        return Elementwise.sigmoid(x, name);
    }

    public static Tensor tanh(Tensor x, String name) {
        return Elementwise.tanh(x, name);
    }

    public static Tensor sqrt(Tensor x, String name) {
        Dims.requireFloat(x, "sqrt");
        return Elementwise.map(x, Te::sqrt, name);
    }

    public static Tensor exp(Tensor x, String name) {
        Dims.requireFloat(x, "exp");
        return Elementwise.map(x, Te::exp, name);
    }

    /** {@code -x}; for an unsigned dtype it wraps around. */
    public static Tensor neg(Tensor x, String name) {
        Dims.requireNumeric(x, "neg");
        return Elementwise.map(x, Expr::neg, name);
    }

    private static boolean isNaN(Number n) {
        return n != null && Double.isNaN(n.doubleValue());
    }
}
