package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An integer expression as {@code Σ coefficient × term + constant}, like terms collected, terms in
 * {@link ExprOrder}. A term is any sub-expression that is not a sum, a difference, a negation or
 * a product with a constant.
 *
 * <p>Coefficients are kept wrapped to the type's width (as signed numbers), so rearranging is
 * exact modulo 2^bits — the same ring the type's wrapping arithmetic lives in. Whether the form's
 * mathematical value equals the expression's value (no wrap-around happened) is what
 * {@link #fits} checks; rules that reason about order or division need it.
 */
record LinearForm(DType dtype, SortedMap<Expr, Long> terms, long constant) {

    LinearForm {
        terms = Collections.unmodifiableSortedMap(terms);
    }

    static LinearForm constant(long c, DType t) {
        return new LinearForm(t, new TreeMap<>(ExprOrder.INSTANCE), norm(c, t));
    }

    /** Decomposes an integer expression. */
    static LinearForm of(Expr e) {
        TreeMap<Expr, Long> m = new TreeMap<>(ExprOrder.INSTANCE);
        DType t = e.dtype();
        long c = collect(e, 1, m);
        // Coefficients add up modulo 2^64 on the way and are wrapped to the type once at the end:
        // the same residues as wrapping after every step, one map instead of one per sub-sum.
        m.replaceAll((term, k) -> norm(k, t));
        m.values().removeIf(k -> k == 0);
        return new LinearForm(t, m, norm(c, t));
    }

    /** Adds {@code k × e}'s terms to {@code m}; returns {@code k ×} its constant. */
    private static long collect(Expr e, long k, TreeMap<Expr, Long> m) {
        return switch (e) {
            case IntImm(long v, DType t) -> k * norm(v, t);
            case Binary(BinaryOp op, Expr a, Expr b) when op == BinaryOp.ADD -> collect(a, k, m) + collect(b, k, m);
            case Binary(BinaryOp op, Expr a, Expr b) when op == BinaryOp.SUB -> collect(a, k, m) + collect(b, -k, m);
            case Binary(BinaryOp op, Expr a, Expr b) when op == BinaryOp.MUL -> {
                LinearForm fb = of(b);
                if (fb.isConstant()) {
                    yield collect(a, k * fb.constant, m);
                }
                LinearForm fa = of(a);
                if (fa.isConstant()) {
                    yield collect(b, k * fa.constant, m);
                }
                // A product of two non-constants is one term; order its factors (multiplication commutes).
                m.merge(ExprOrder.INSTANCE.compare(a, b) <= 0 ? e : new Binary(BinaryOp.MUL, b, a), k, Long::sum);
                yield 0;
            }
            case Unary(UnaryOp op, Expr a) when op == UnaryOp.NEG -> collect(a, -k, m);
            default -> {
                m.merge(e, k, Long::sum);
                yield 0;
            }
        };
    }

    boolean isConstant() {
        return terms.isEmpty();
    }

    LinearForm add(LinearForm o) {
        return combine(o, 1);
    }

    LinearForm sub(LinearForm o) {
        return combine(o, -1);
    }

    private LinearForm combine(LinearForm o, long sign) {
        TreeMap<Expr, Long> m = new TreeMap<>(terms);
        o.terms.forEach((t, c) -> put(m, t, m.getOrDefault(t, 0L) + sign * c));
        return new LinearForm(dtype, m, norm(constant + sign * o.constant, dtype));
    }

    private void put(TreeMap<Expr, Long> m, Expr t, long c) {
        long n = norm(c, dtype);
        if (n == 0) {
            m.remove(t);
        } else {
            m.put(t, n);
        }
    }

    /**
     * The terms whose coefficient {@code k} divides, divided by {@code k}, plus {@code floordiv(constant, k)}.
     * With {@link #remainder} it splits the form as {@code k*quotient + remainder} on mathematical
     * integers, not only modulo 2^bits: the constants are not wrapped.
     */
    LinearForm quotient(long k) {
        TreeMap<Expr, Long> m = new TreeMap<>(ExprOrder.INSTANCE);
        terms.forEach((t, c) -> {
            if (c % k == 0) {
                m.put(t, c / k);
            }
        });
        return new LinearForm(dtype, m, Math.floorDiv(constant, k));
    }

    /** The terms whose coefficient {@code k} does not divide, plus {@code floormod(constant, k)}. */
    LinearForm remainder(long k) {
        TreeMap<Expr, Long> m = new TreeMap<>(ExprOrder.INSTANCE);
        terms.forEach((t, v) -> {
            if (v % k != 0) {
                m.put(t, v);
            }
        });
        return new LinearForm(dtype, m, Math.floorMod(constant, k));
    }

    /** The greatest common divisor of the coefficients and the constant (0 for the zero form). */
    long gcd() {
        long g = Math.abs(constant);
        for (long c : terms.values()) {
            g = gcd(g, Math.abs(c));
        }
        return g;
    }

    /** Divides every coefficient and the constant by {@code k}, which must divide them all. */
    LinearForm divideExact(long k) {
        TreeMap<Expr, Long> m = new TreeMap<>(ExprOrder.INSTANCE);
        terms.forEach((t, c) -> m.put(t, c / k));
        return new LinearForm(dtype, m, constant / k);
    }

    /** The interval of the form's mathematical value (no wrap-around), given bounds of its terms. */
    Bound bound(Function<Expr, Bound> termBound) {
        Bound b = Bound.point(constant);
        for (Map.Entry<Expr, Long> e : terms.entrySet()) {
            b = b.add(termBound.apply(e.getKey()).mul(e.getValue()));
        }
        return b;
    }

    /**
     * The interval of {@code a - b} on mathematical integers, coefficients subtracted without
     * wrapping; for forms that {@link #fits fit}, that is the difference of the expressions' values.
     */
    static Bound differenceBound(LinearForm a, LinearForm b, Function<Expr, Bound> termBound) {
        TreeMap<Expr, Long> coef = new TreeMap<>(a.terms);
        for (Map.Entry<Expr, Long> e : b.terms.entrySet()) {
            Long c = coef.get(e.getKey());
            try {
                coef.put(e.getKey(), Math.subtractExact(c == null ? 0 : c, e.getValue()));
            } catch (ArithmeticException overflow) {
                return Bound.EVERYTHING;
            }
        }
        Bound d = Bound.point(a.constant).sub(Bound.point(b.constant));
        for (Map.Entry<Expr, Long> e : coef.entrySet()) {
            if (e.getValue() != 0) {
                d = d.add(termBound.apply(e.getKey()).mul(e.getValue()));
            }
        }
        return d;
    }

    /** True when the mathematical value stays within the type, so the expression's value equals it. */
    boolean fits(Function<Expr, Bound> termBound) {
        return dtype == DType.INT64 || bound(termBound).within(Bound.of(dtype));
    }

    /** The canonical expression: positive terms first, then the negative ones subtracted, then the constant. */
    Expr toExpr() {
        Expr out = null;
        for (Map.Entry<Expr, Long> e : terms.entrySet()) {
            if (e.getValue() > 0) {
                out = plus(out, scaled(e.getKey(), e.getValue()));
            }
        }
        boolean constantDone = constant == 0;
        if (out == null && constant > 0) {
            out = new IntImm(constant, dtype);
            constantDone = true;
        }
        for (Map.Entry<Expr, Long> e : terms.entrySet()) {
            long c = e.getValue();
            if (c < 0) {
                if (out == null) {
                    out = c == -1 ? new Unary(UnaryOp.NEG, e.getKey()) : scaled(e.getKey(), c);
                } else {
                    out = new Binary(BinaryOp.SUB, out, scaled(e.getKey(), -c));
                }
            }
        }
        if (out == null) {
            return new IntImm(constant, dtype);
        }
        if (!constantDone) {
            out = constant > 0 ? new Binary(BinaryOp.ADD, out, new IntImm(constant, dtype))
                    : new Binary(BinaryOp.SUB, out, new IntImm(-constant, dtype));
        }
        return out;
    }

    private Expr plus(Expr sum, Expr t) {
        return sum == null ? t : new Binary(BinaryOp.ADD, sum, t);
    }

    private Expr scaled(Expr t, long c) {
        return c == 1 ? t : new Binary(BinaryOp.MUL, t, new IntImm(c, dtype));
    }

    /** {@code v} wrapped to the type's width, read as a signed number. */
    static long norm(long v, DType t) {
        return switch (t) {
            case INT8, UINT8 -> (byte) v;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
