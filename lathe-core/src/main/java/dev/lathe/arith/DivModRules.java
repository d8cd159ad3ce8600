package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;

import java.util.List;
import java.util.Optional;

/**
 * Rules for {@code floordiv, floormod, truncdiv, truncmod}. With a positive constant divisor
 * {@code c} the dividend is split as {@code c*q + r} ({@code q} the terms {@code c} divides),
 * so {@code floordiv(i*8 + j, 8) → i + floordiv(j, 8)}, which bounds then settle
 * ({@code → i} when {@code 0 <= j < 8}). The truncating forms follow the floor rules only where
 * the operands are provably non-negative, where the two agree. A division by zero is left alone.
 */
final class DivModRules {
    private DivModRules() {
    }

    static Expr apply(Binary b, Analyzer an) {
        BinaryOp op = b.op();
        DType t = b.dtype();
        return switch (b) {
            case Binary(BinaryOp _, Expr x, IntImm(long c, DType _)) when c == 1 -> isDiv(op) ? x : zero(t);
            // floordiv(floordiv(x, a), b) → floordiv(x, a*b), and alike for truncdiv
            case Binary(BinaryOp _, Binary(BinaryOp inner, Expr x, IntImm(long c1, DType _)), IntImm(long c2, DType _))
                    when inner == op && isDiv(op) && c1 > 0 && c2 > 0 && productInRange(c1, c2, t) ->
                    new Binary(op, x, new IntImm(c1 * c2, t));
            // floormod(floormod(x, a), b) → floormod(x, b) when b divides a, and alike for truncmod
            case Binary(BinaryOp _, Binary(BinaryOp inner, Expr x, IntImm(long c1, DType _)), IntImm(long c2, DType _))
                    when inner == op && !isDiv(op) && c1 > 0 && c2 > 0 && c1 % c2 == 0 -> new Binary(op, x, b.b());
            // 0 <= x < y: the quotient is 0 and the remainder is x
            case Binary(BinaryOp _, Expr x, Expr y)
                    when an.boundOf(x).min() >= 0 && an.decide(BinaryOp.LT, x, y).orElse(false) -> isDiv(op) ? zero(t) : x;
            case Binary(BinaryOp _, Expr x, IntImm(long c, DType _)) when c > 0 -> byLinearForm(b, x, c, an);
            default -> b;
        };
    }

    /** Splits the dividend {@code x = c*q + r}: q comes out of the division, r's bounds may settle the rest. */
    private static Expr byLinearForm(Binary b, Expr x, long c, Analyzer an) {
        boolean floor = b.op() == BinaryOp.FLOORDIV || b.op() == BinaryOp.FLOORMOD;
        LinearForm f = LinearForm.of(x);
        if (!f.fits(an::boundOf)) {
            return b;
        }
        LinearForm q = f.quotient(c);
        LinearForm r = f.remainder(c);
        if (r.isConstant() && r.constant() == 0) {
            // c divides x: both kinds of division are exact
            Expr out = isDiv(b.op()) ? q.toExpr() : new IntImm(0, f.dtype());
            return out.equals(b) ? b : out;
        }
        if (!floor && an.boundOf(x).min() < 0) {
            return b; // truncation and floor differ on negative dividends
        }
        Bound rb = r.bound(an::boundOf);
        long k = Math.floorDiv(rb.min(), c);
        Expr out;
        if (k == Math.floorDiv(rb.max(), c)) {
            // r lies in [k*c, (k+1)*c): the division is settled
            out = isDiv(b.op()) ? q.add(LinearForm.constant(k, f.dtype())).toExpr()
                    : r.sub(LinearForm.constant(k * c, f.dtype())).toExpr();
        } else {
            if (!floor && rb.min() < 0 || !r.fits(an::boundOf)) {
                return b;
            }
            out = byInnerFactor(b.op(), q, r, c, an).or(() -> residual(b.op(), q, r, c)).orElse(b);
        }
        return out.equals(b) ? b : out;
    }

    /**
     * {@code r = a*r1 + r2} with {@code a} dividing {@code c} and {@code 0 <= r2 < a}: then
     * {@code floordiv(r, c) = floordiv(r1, c/a)} and {@code floormod(r, c) = a*floormod(r1, c/a) + r2}
     * ({@code floordiv(i*4 + j, 16) → floordiv(i, 4)} when {@code 0 <= j < 4}: a split by 4 of an axis
     * divided by 16). Here r >= 0 where the division truncates, so r1 >= 0 too and both kinds agree.
     */
    private static Optional<Expr> byInnerFactor(BinaryOp op, LinearForm q, LinearForm r, long c, Analyzer an) {
        DType t = q.dtype();
        List<Long> factors = r.terms().values().stream().map(Math::abs).filter(a -> a > 1 && a < c && c % a == 0)
                .distinct().sorted(java.util.Comparator.reverseOrder()).toList();
        for (long a : factors) {
            LinearForm r1 = r.quotient(a);
            LinearForm r2 = r.remainder(a);
            Bound b2 = r2.bound(an::boundOf);
            if (b2.min() < 0 || b2.max() >= a || !r1.fits(an::boundOf) || !r2.fits(an::boundOf)) {
                continue;
            }
            Expr rest = new Binary(op, r1.toExpr(), new IntImm(c / a, t));
            if (isDiv(op)) {
                return Optional.of(plus(q, rest));
            }
            Expr scaled = new Binary(BinaryOp.MUL, rest, new IntImm(a, t));
            return Optional.of(r2.isConstant() && r2.constant() == 0 ? scaled
                    : new Binary(BinaryOp.ADD, scaled, r2.toExpr()));
        }
        return Optional.empty();
    }

    /** {@code q + floordiv(r, c)} or {@code floormod(r, c)}, with a common factor of r and c cancelled. */
    private static Optional<Expr> residual(BinaryOp op, LinearForm q, LinearForm r, long c) {
        DType t = q.dtype();
        long g = LinearForm.gcd(r.gcd(), c);
        if (g > 1) {
            // floordiv(g*r', g*c') = floordiv(r', c') and floormod(g*r', g*c') = g*floormod(r', c'); the same for trunc
            Expr rest = new Binary(op, r.divideExact(g).toExpr(), new IntImm(c / g, t));
            return Optional.of(isDiv(op) ? plus(q, rest) : new Binary(BinaryOp.MUL, rest, new IntImm(g, t)));
        }
        if (q.isConstant() && q.constant() == 0) {
            return Optional.empty();
        }
        Expr rest = new Binary(op, r.toExpr(), new IntImm(c, t));
        return Optional.of(isDiv(op) ? plus(q, rest) : rest);
    }

    private static Expr plus(LinearForm q, Expr rest) {
        return q.isConstant() && q.constant() == 0 ? rest : new Binary(BinaryOp.ADD, q.toExpr(), rest);
    }

    private static boolean isDiv(BinaryOp op) {
        return op == BinaryOp.FLOORDIV || op == BinaryOp.TRUNCDIV;
    }

    private static boolean productInRange(long a, long b, DType t) {
        long p = Bound.smul(a, b);
        return p != Long.MAX_VALUE && Bound.of(t).contains(p);
    }

    private static IntImm zero(DType t) {
        return new IntImm(0, t);
    }
}
