package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rules for {@code == != < <= > >=}. Integer and bool comparisons that bounds decide become
 * constants; int64 comparisons are rearranged so like terms cancel and the constant moves right
 * ({@code i + 3 < n + 1 → i < n - 2}). Float comparisons are only folded (NaN makes even
 * {@code x == x} unknown).
 */
final class CompareRules {
    private CompareRules() {
    }

    static Expr apply(Binary b, Analyzer an) {
        BinaryOp op = b.op();
        Expr x = b.a();
        Expr y = b.b();
        DType t = x.dtype();
        if (t.isFloat()) {
            return b;
        }
        var known = an.decide(op, x, y);
        if (known.isPresent()) {
            return known.get() ? IntImm.TRUE : IntImm.FALSE;
        }
        if (t.isBool()) {
            return bool(b);
        }
        return t == DType.INT64 ? rearranged(b) : b;
    }

    /** {@code x == true → x}, {@code x == false → !x}, and alike for {@code !=}. */
    private static Expr bool(Binary b) {
        boolean eq = b.op() == BinaryOp.EQ;
        if (!eq && b.op() != BinaryOp.NE) {
            return b;
        }
        return switch (b) {
            case Binary(BinaryOp _, Expr x, IntImm c) -> (c.value() != 0) == eq ? x : new Unary(UnaryOp.NOT, x);
            case Binary(BinaryOp _, IntImm c, Expr x) -> (c.value() != 0) == eq ? x : new Unary(UnaryOp.NOT, x);
            default -> b;
        };
    }

    /**
     * {@code x op y} as {@code p op n - k} where {@code x - y = p - n + k} with p, n the terms of
     * positive and negative coefficient; when p is empty, {@code n op' k} with the operator mirrored.
     */
    private static Expr rearranged(Binary b) {
        LinearForm d = LinearForm.of(b.a()).sub(LinearForm.of(b.b()));
        TreeMap<Expr, Long> pos = new TreeMap<>(ExprOrder.INSTANCE);
        TreeMap<Expr, Long> neg = new TreeMap<>(ExprOrder.INSTANCE);
        for (Map.Entry<Expr, Long> e : d.terms().entrySet()) {
            if (e.getValue() > 0) {
                pos.put(e.getKey(), e.getValue());
            } else {
                neg.put(e.getKey(), -e.getValue());
            }
        }
        DType t = d.dtype();
        Expr out;
        if (!pos.isEmpty()) {
            out = new Binary(b.op(), new LinearForm(t, pos, 0).toExpr(), new LinearForm(t, neg, -d.constant()).toExpr());
        } else if (!neg.isEmpty()) {
            out = new Binary(mirror(b.op()), new LinearForm(t, neg, 0).toExpr(), new IntImm(d.constant(), t));
        } else {
            return b;
        }
        return out.equals(b) ? b : out;
    }

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    static BinaryOp mirror(BinaryOp op) {
        return switch (op) {
            case LT -> BinaryOp.GT;
            case LE -> BinaryOp.GE;
            case GT -> BinaryOp.LT;
            case GE -> BinaryOp.LE;
            default -> op;
        };
    }
}
