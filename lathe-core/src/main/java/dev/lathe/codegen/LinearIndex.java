package dev.lathe.codegen;

import dev.lathe.ir.Binary;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
import dev.lathe.ir.Var;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * How an index moves when a loop variable steps by one: the constant coefficient of {@code v}
 * in an integer expression that is linear in it. Anything the extractor cannot prove linear
 * (a product of two varying terms, a division, a value read from data, a narrow integer type
 * that could wrap) has no coefficient, and the vectorizer then treats the access as a gather.
 */
final class LinearIndex {
    private LinearIndex() {
    }

    /**
     * The coefficient of {@code v} in {@code e}; empty when {@code e} is not provably linear in
     * {@code v}. {@code varying} tells which other variables change with {@code v} (they make an
     * expression non-linear, since their values are unknown).
     */
    static OptionalLong coefficient(Expr e, Var v, Predicate<Var> varying) {
        if (!mentions(e, v, varying)) {
            return OptionalLong.of(0);
        }
        if (e.dtype() != DType.INT64) {
            return OptionalLong.empty();
        }
        try {
            return switch (e) {
                case Var x when x.equals(v) -> OptionalLong.of(1);
                case Binary b -> switch (b.op()) {
                    case ADD -> combine(coefficient(b.a(), v, varying), coefficient(b.b(), v, varying), 1);
                    case SUB -> combine(coefficient(b.a(), v, varying), coefficient(b.b(), v, varying), -1);
                    case MUL -> scaled(b.a(), b.b(), v, varying);
                    default -> OptionalLong.empty();
                };
                case Unary u when u.op() == UnaryOp.NEG -> negate(coefficient(u.value(), v, varying));
                default -> OptionalLong.empty();
            };
        } catch (ArithmeticException overflow) {
            return OptionalLong.empty();
        }
    }

    /**
     * The coefficient of {@code v} in the row-major flat index of {@code indices} into storage of
     * {@code shape}. A dimension whose index moves with {@code v} needs a constant stride.
     */
    static OptionalLong flatCoefficient(List<Expr> indices, List<Expr> shape, Var v, Predicate<Var> varying) {
        long total = 0;
        try {
            for (int d = 0; d < indices.size(); d++) {
                OptionalLong c = coefficient(indices.get(d), v, varying);
                if (c.isEmpty()) {
                    return c;
                }
                if (c.getAsLong() == 0) {
                    continue;
                }
                long stride = 1;
                for (int k = d + 1; k < shape.size(); k++) {
                    if (!(shape.get(k) instanceof IntImm extent)) {
                        return OptionalLong.empty();
                    }
                    stride = Math.multiplyExact(stride, extent.value());
                }
                total = Math.addExact(total, Math.multiplyExact(c.getAsLong(), stride));
            }
        } catch (ArithmeticException overflow) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(total);
    }

    /** Whether {@code e} changes with {@code v}: it mentions {@code v} or a variable that varies with it. */
    static boolean mentions(Expr e, Var v, Predicate<Var> varying) {
        for (Var x : Exprs.vars(e)) {
            if (x.equals(v) || varying.test(x)) {
                return true;
            }
        }
        return false;
    }

    private static OptionalLong scaled(Expr a, Expr b, Var v, Predicate<Var> varying) {
        if (a instanceof IntImm k) {
            return times(coefficient(b, v, varying), k.value());
        }
        if (b instanceof IntImm k) {
            return times(coefficient(a, v, varying), k.value());
        }
        // A symbolic factor (n * v) has no constant coefficient.
        return OptionalLong.empty();
    }

    private static OptionalLong combine(OptionalLong a, OptionalLong b, int sign) {
        if (a.isEmpty() || b.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.addExact(a.getAsLong(), Math.multiplyExact(sign, b.getAsLong())));
    }

    private static OptionalLong times(OptionalLong c, long k) {
        return c.isEmpty() ? c : OptionalLong.of(Math.multiplyExact(c.getAsLong(), k));
    }

    private static OptionalLong negate(OptionalLong c) {
        return c.isEmpty() ? c : OptionalLong.of(Math.negateExact(c.getAsLong()));
    }
}
