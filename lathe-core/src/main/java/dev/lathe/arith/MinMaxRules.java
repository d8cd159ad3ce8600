package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;

/**
 * Rules for {@code min} and {@code max}. {@code min(x, x) → x} holds for every type; the others
 * only for integers (float min/max differ between backends on NaN and signed zeros): a provable
 * order picks the operand, constants move to the right and nested constants combine.
 */
final class MinMaxRules {
    private MinMaxRules() {
    }

    static Expr apply(Binary b, Analyzer an) {
        BinaryOp op = b.op();
        boolean isMin = op == BinaryOp.MIN;
        if (b.a().equals(b.b())) {
            return b.a();
        }
        if (!b.dtype().isInt()) {
            return b;
        }
        return switch (b) {
            case Binary(BinaryOp _, Expr x, Expr y) when an.decide(BinaryOp.LE, x, y).orElse(false) -> isMin ? x : y;
            case Binary(BinaryOp _, Expr x, Expr y) when an.decide(BinaryOp.LE, y, x).orElse(false) -> isMin ? y : x;
            case Binary(BinaryOp _, IntImm c, Expr x) when !(x instanceof IntImm) -> new Binary(op, x, c);
            // min(min(x, c1), c2) → min(x, min(c1, c2))
            case Binary(BinaryOp _, Binary(BinaryOp inner, Expr x, IntImm(long c1, DType t)), IntImm(long c2, DType _))
                    when inner == op -> new Binary(op, x, new IntImm(isMin ? Math.min(c1, c2) : Math.max(c1, c2), t));
            default -> b;
        };
    }
}
