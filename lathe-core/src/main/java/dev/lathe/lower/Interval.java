package dev.lathe.lower;

import dev.lathe.ir.Binary;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;

import java.util.Map;
import java.util.Optional;

/**
 * A symbolic integer interval {@code [lo, hi]} (inclusive), for bound inference: the values an
 * index expression takes while some loops run over their ranges and the outer ones stay fixed.
 */
record Interval(Expr lo, Expr hi) {
    static Interval point(Expr e) {
        return new Interval(e, e);
    }

    /**
     * The interval of {@code e} when each variable in {@code ranges} takes every value of its
     * interval; other variables are fixed. Empty when the expression's shape is beyond this
     * analysis (data-dependent values, products of two varying terms): callers then fall back
     * to a conservative region.
     */
    static Optional<Interval> of(Expr e, Map<Var, Interval> ranges) {
        if (!e.dtype().isInt()) {
            return Optional.empty();
        }
        return switch (e) {
            case IntImm i -> Optional.of(point(i));
            case Var v -> Optional.of(ranges.getOrDefault(v, point(v)));
            case Cast c when c.dtype() == DType.INT64 && c.value().dtype().isInt() -> of(c.value(), ranges)
                    .map(x -> new Interval(x.lo().cast(DType.INT64), x.hi().cast(DType.INT64)));
            case Binary b -> binary(b, ranges);
            default -> Optional.empty();
        };
    }

    private static Optional<Interval> binary(Binary b, Map<Var, Interval> ranges) {
        Optional<Interval> oa = of(b.a(), ranges);
        Optional<Interval> ob = of(b.b(), ranges);
        if (oa.isEmpty() || ob.isEmpty()) {
            return Optional.empty();
        }
        Interval x = oa.get();
        Interval y = ob.get();
        return switch (b.op()) {
            case ADD -> Optional.of(new Interval(x.lo.add(y.lo), x.hi.add(y.hi)));
            case SUB -> Optional.of(new Interval(x.lo.sub(y.hi), x.hi.sub(y.lo)));
            case MUL -> multiply(x, y);
            case FLOORDIV -> x.isPoint() && y.isPoint() ? Optional.of(point(x.lo.floordiv(y.lo)))
                    : y.constant().filter(c -> c > 0).map(c -> new Interval(x.lo.floordiv(c), x.hi.floordiv(c)));
            case FLOORMOD -> y.constant().filter(c -> c > 0)
                    .map(c -> x.isPoint() ? point(x.lo.floormod(c)) : new Interval(IntImm.of(0), IntImm.of(c - 1)));
            case TRUNCDIV, TRUNCMOD -> x.isPoint() && y.isPoint() ? Optional.of(point(new Binary(b.op(), x.lo, y.lo)))
                    : Optional.empty();
            case MIN -> Optional.of(new Interval(x.lo.min(y.lo), x.hi.min(y.hi)));
            case MAX -> Optional.of(new Interval(x.lo.max(y.lo), x.hi.max(y.hi)));
            default -> Optional.empty();
        };
    }

    private static Optional<Interval> multiply(Interval x, Interval y) {
        Optional<Long> cy = y.constant();
        Optional<Long> cx = x.constant();
        if (cy.isPresent()) {
            long c = cy.get();
            return Optional.of(c >= 0 ? new Interval(x.lo.mul(c), x.hi.mul(c)) : new Interval(x.hi.mul(c), x.lo.mul(c)));
        }
        if (cx.isPresent()) {
            return multiply(y, x);
        }
        if (x.isPoint() && y.isPoint()) {
            return Optional.of(point(x.lo.mul(y.lo)));
        }
        return Optional.empty();
    }

    private Optional<Long> constant() {
        return lo instanceof IntImm a && hi instanceof IntImm b && a.value() == b.value()
                ? Optional.of(a.value()) : Optional.empty();
    }

    private boolean isPoint() {
        return lo.equals(hi);
    }
}
