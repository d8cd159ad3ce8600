package dev.lathe.arith;

import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;

/**
 * Rules for casts: a cast to the operand's own type disappears, and an integer cast that cannot
 * change the value (the operand's bounds fit the type) disappears under another cast.
 */
final class CastRules {
    private CastRules() {
    }

    static Expr apply(Cast c, Analyzer an) {
        return switch (c) {
            case Cast(DType to, Expr x) when x.dtype() == to -> x;
            case Cast(DType to, Cast(DType mid, Expr x))
                    when mid.isInt() && !x.dtype().isFloat() && an.boundOf(x).within(Bound.of(mid)) ->
                    x.dtype() == to ? x : new Cast(to, x);
            default -> c;
        };
    }
}
