package dev.lathe.arith;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Range;
import dev.lathe.ir.Var;

import java.util.Map;

/** One-call entry points; for repeated queries under the same bindings use an {@link Analyzer}. */
public final class Simplifier {
    private Simplifier() {
    }

    /** {@code e} simplified with every variable unknown. */
    public static Expr simplify(Expr e) {
        return new Analyzer().simplify(e);
    }

    /** {@code e} simplified with the variables bound to ranges, bound in the map's iteration order (an outer loop first). */
    public static Expr simplify(Expr e, Map<Var, Range> ranges) {
        Analyzer a = new Analyzer();
        ranges.forEach(a::bind);
        return a.simplify(e);
    }
}
