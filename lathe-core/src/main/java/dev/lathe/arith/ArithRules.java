package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Expr;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;

/**
 * Rules for {@code + - *}, true division and negation. Integer expressions become their
 * canonical {@link LinearForm} (like terms collected, constants summed). Float expressions get
 * only the identities that are exact under IEEE 754 for every input, NaN, infinities and
 * signed zeros included: {@code x * 1}, {@code x / 1}, {@code x - 0.0}, {@code x + -0.0},
 * {@code -(-x)}. ({@code x + 0.0} is not one: it turns -0.0 into +0.0.)
 */
final class ArithRules {
    private ArithRules() {
    }

    static Expr apply(Binary b) {
        if (b.dtype().isInt()) {
            return canonical(b);
        }
        return switch (b) {
            case Binary(BinaryOp op, Expr x, FloatImm one) when op == BinaryOp.MUL && one.value() == 1 -> x;
            case Binary(BinaryOp op, FloatImm one, Expr x) when op == BinaryOp.MUL && one.value() == 1 -> x;
            case Binary(BinaryOp op, Expr x, FloatImm one) when op == BinaryOp.DIV && one.value() == 1 -> x;
            case Binary(BinaryOp op, Expr x, FloatImm zero) when op == BinaryOp.SUB && isPositiveZero(zero) -> x;
            case Binary(BinaryOp op, Expr x, FloatImm zero) when op == BinaryOp.ADD && isNegativeZero(zero) -> x;
            case Binary(BinaryOp op, FloatImm zero, Expr x) when op == BinaryOp.ADD && isNegativeZero(zero) -> x;
            default -> b;
        };
    }

    static Expr neg(Unary u) {
        if (u.dtype().isInt()) {
            return canonical(u);
        }
        return switch (u) {
            case Unary(UnaryOp _, Unary(UnaryOp _, Expr x)) -> x;
            default -> u;
        };
    }

    /** The canonical linear form of an integer expression; {@code e} itself when it already is one. */
    static Expr canonical(Expr e) {
        Expr out = LinearForm.of(e).toExpr();
        return out.equals(e) ? e : out;
    }

    private static boolean isPositiveZero(FloatImm f) {
        return Double.doubleToRawLongBits(f.value()) == 0L;
    }

    private static boolean isNegativeZero(FloatImm f) {
        return Double.doubleToRawLongBits(f.value()) == Double.doubleToRawLongBits(-0.0);
    }
}
