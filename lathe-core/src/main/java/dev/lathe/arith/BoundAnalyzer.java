package dev.lathe.arith;

import dev.lathe.ir.Binary;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Intrinsic;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
import dev.lathe.ir.Var;

import java.util.HashMap;
import java.util.Map;

/**
 * Constant interval bounds of integer and bool expressions, given bounds of variables. Anything
 * it cannot bound (tensor reads, float conversions, unbound variables) gets its type's range.
 */
final class BoundAnalyzer {
    private final Map<Var, Bound> vars = new HashMap<>();

    void bind(Var v, Bound b) {
        vars.put(v, b.intersect(Bound.of(v.dtype())));
    }

    void unbind(Var v) {
        vars.remove(v);
    }

    Bound var(Var v) {
        Bound b = vars.get(v);
        return b != null ? b : Bound.of(v.dtype());
    }

    Bound bound(Expr e) {
        DType t = e.dtype();
        if (t.isFloat()) {
            return Bound.EVERYTHING;
        }
        return switch (e) {
            case IntImm i -> Bound.point(i.value());
            case Var v -> var(v);
            case Binary b when b.op().isComparison() || b.op().isLogical() -> Bound.BOOL;
            case Binary b -> binary(b).fit(t);
            case Unary u when u.op() == UnaryOp.NOT -> not(bound(u.value()));
            case Unary u -> bound(u.value()).neg().fit(t);
            case Select s -> select(s);
            case Cast c -> cast(c);
            case Call c when c.fn() == Intrinsic.ABS -> abs(bound(c.args().getFirst())).fit(t);
            case Call _, TensorRead _, Reduce _, FloatImm _ -> Bound.of(t);
        };
    }

    private Bound binary(Binary b) {
        Bound x = bound(b.a());
        Bound y = bound(b.b());
        return switch (b.op()) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case MIN -> x.min(y);
            case MAX -> x.max(y);
            case FLOORDIV -> x.floorDiv(y);
            case FLOORMOD -> x.floorMod(y);
            case TRUNCDIV -> x.truncDiv(y);
            case TRUNCMOD -> x.truncMod(y);
            case DIV, EQ, NE, LT, LE, GT, GE, AND, OR -> Bound.of(b.dtype());
        };
    }

    private Bound select(Select s) {
        Bound c = bound(s.cond());
        if (c.isPoint()) {
            return bound(c.min() != 0 ? s.then() : s.otherwise());
        }
        return bound(s.then()).union(bound(s.otherwise()));
    }

    private Bound cast(Cast c) {
        DType from = c.value().dtype();
        DType to = c.dtype();
        if (from.isFloat()) {
            return Bound.of(to);
        }
        Bound b = bound(c.value());
        if (to.isBool()) {
            return b.contains(0) ? (b.isPoint() ? Bound.point(0) : Bound.BOOL) : Bound.point(1);
        }
        return b.fit(to);
    }

    private static Bound not(Bound b) {
        return b.isPoint() ? Bound.point(b.min() == 0 ? 1 : 0) : Bound.BOOL;
    }

    private static Bound abs(Bound b) {
        if (b.min() >= 0) {
            return b;
        }
        if (b.max() <= 0) {
            return b.neg();
        }
        return Bound.of(0, Math.max(Bound.sneg(b.min()), b.max()));
    }
}
