package dev.lathe.lower;

import dev.lathe.ir.Expr;

/** The arithmetic simplification lowering applies to bounds and indices. */
final class Simplify {
    private Simplify() {
    }

    static Expr expr(Expr e) {
        return e;
    }

    /** A constant upper bound of an integer expression, when one can be proven. */
    static java.util.Optional<Long> upperBound(Expr e) {
        return java.util.Optional.empty();
    }
}
