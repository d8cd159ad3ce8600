package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Select;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;

/** Rules for {@code &&}, {@code ||}, {@code !} and {@code select}. */
final class LogicRules {
    private LogicRules() {
    }

    static Expr apply(Binary b) {
        boolean and = b.op() == BinaryOp.AND;
        IntImm unit = and ? IntImm.TRUE : IntImm.FALSE; // x && true → x, x || false → x
        IntImm zero = and ? IntImm.FALSE : IntImm.TRUE; // x && false → false, x || true → true
        return switch (b) {
            case Binary(BinaryOp _, Expr x, Expr y) when x.equals(unit) -> y;
            case Binary(BinaryOp _, Expr x, Expr y) when y.equals(unit) -> x;
            case Binary(BinaryOp _, Expr x, Expr y) when x.equals(zero) || y.equals(zero) -> zero;
            case Binary(BinaryOp _, Expr x, Expr y) when x.equals(y) -> x;
            case Binary(BinaryOp _, Expr x, Unary(UnaryOp _, Expr y)) when x.equals(y) -> zero; // x && !x
            case Binary(BinaryOp _, Unary(UnaryOp _, Expr x), Expr y) when x.equals(y) -> zero;
            default -> b;
        };
    }

    static Expr not(Unary u) {
        return switch (u.value()) {
            case Unary(UnaryOp _, Expr x) -> x;
            // a negated comparison is the opposite comparison; for floats only == and != (NaN compares false)
            case Binary(BinaryOp op, Expr x, Expr y) when op.isComparison()
                    && (!x.dtype().isFloat() || op == BinaryOp.EQ || op == BinaryOp.NE) -> new Binary(negate(op), x, y);
            default -> u;
        };
    }

    static Expr select(Select s) {
        return switch (s) {
            case Select(IntImm c, Expr t, Expr f) -> c.value() != 0 ? t : f;
            case Select(Expr _, Expr t, Expr f) when t.equals(f) -> t;
            case Select(Unary(UnaryOp _, Expr c), Expr t, Expr f) -> new Select(c, f, t);
            case Select(Expr c, Expr t, Expr f) when t.equals(IntImm.TRUE) && f.equals(IntImm.FALSE) -> c;
            case Select(Expr c, Expr t, Expr f) when t.equals(IntImm.FALSE) && f.equals(IntImm.TRUE) -> new Unary(UnaryOp.NOT, c);
            default -> s;
        };
    }

    static BinaryOp negate(BinaryOp op) {
        return switch (op) {
            case EQ -> BinaryOp.NE;
            case NE -> BinaryOp.EQ;
            case LT -> BinaryOp.GE;
            case LE -> BinaryOp.GT;
            case GT -> BinaryOp.LE;
            case GE -> BinaryOp.LT;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }
}
