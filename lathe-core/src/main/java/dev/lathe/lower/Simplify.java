package dev.lathe.lower;

import dev.lathe.arith.Analyzer;
import dev.lathe.arith.Bound;
import dev.lathe.arith.Simplifier;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Range;
import dev.lathe.ir.Var;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Arithmetic simplification in lowering: of single expressions while loops are built, and of
 * a whole loop nest afterwards, where every loop variable's range is known — guards that always
 * hold disappear, loops of one iteration become their body.
 */
final class Simplify {
    private Simplify() {
    }

    static Expr expr(Expr e) {
        return Simplifier.simplify(e);
    }

    /** Simplifies with known variable ranges (e.g. an inner loop's, so floordiv(i.0 * 16 + i.1, 16) is i.0). */
    static Expr expr(Expr e, Map<Var, Range> ranges) {
        return Simplifier.simplify(e, ranges);
    }

    /** A constant upper bound of an integer expression, when the variables' known ranges give one. */
    static Optional<Long> upperBound(Expr e, Map<Var, Range> ranges) {
        Analyzer a = new Analyzer();
        ranges.forEach(a::bind);
        Bound b = a.bound(e);
        return b.max() < Long.MAX_VALUE / 4 ? Optional.of(b.max()) : Optional.empty();
    }

    /** Simplifies every expression of a loop nest with the ranges of the loops around it. */
    static Stmt stmt(Stmt s) {
        return walk(s, new Analyzer(), Map.of());
    }

    /**
     * Simplifies, then turns floor division by a positive constant of a provably non-negative
     * value into truncating division, which C computes directly (no sign fix-up in hot loops).
     */
    private static Expr simplify(Analyzer a, Expr e) {
        Expr s = a.simplify(e);
        return dev.lathe.ir.Exprs.rewrite(s, n -> {
            if (n instanceof dev.lathe.ir.Binary b && b.b() instanceof IntImm d && d.value() > 0
                    && (b.op() == dev.lathe.ir.BinaryOp.FLOORDIV || b.op() == dev.lathe.ir.BinaryOp.FLOORMOD)
                    && a.bound(b.a()).min() >= 0) {
                return new dev.lathe.ir.Binary(b.op() == dev.lathe.ir.BinaryOp.FLOORDIV
                        ? dev.lathe.ir.BinaryOp.TRUNCDIV : dev.lathe.ir.BinaryOp.TRUNCMOD, b.a(), b.b());
            }
            return n;
        });
    }

    /**
     * Walks a statement whose variables in {@code unit} (of enclosing loops of one iteration) stand
     * for the loops' single values: each expression gets them substituted as it is simplified, where
     * substituting into the whole body at each such loop would rebuild the body once per loop.
     */
    private static Stmt walk(Stmt s, Analyzer a, Map<Var, Expr> unit) {
        return switch (s) {
            case For f -> {
                Expr min = simplify(a, f.min(), unit);
                Expr extent = simplify(a, f.extent(), unit);
                if (extent instanceof IntImm e && e.value() == 1) {
                    a.bind(f.var(), new Range(min, extent));
                    Map<Var, Expr> inner = new HashMap<>(unit);
                    inner.put(f.var(), min);
                    Stmt body = walk(f.body(), a, inner);
                    a.unbind(f.var());
                    yield body;
                }
                if (extent instanceof IntImm e && e.value() <= 0) {
                    yield Seq.of();
                }
                a.bind(f.var(), new Range(min, extent));
                Stmt body = walk(f.body(), a, unit);
                a.unbind(f.var());
                yield new For(f.var(), min, extent, f.kind(), body);
            }
            case Store st -> new Store(st.tensor(), st.indices().stream().map(x -> simplify(a, x, unit)).toList(),
                    simplify(a, st.value(), unit));
            case Allocate al -> new Allocate(al.tensor(), al.extents().stream().map(x -> simplify(a, x, unit)).toList(),
                    walk(al.body(), a, unit));
            case Seq q -> {
                List<Stmt> out = new ArrayList<>();
                for (Stmt x : q.stmts()) {
                    out.add(walk(x, a, unit));
                }
                yield Seq.of(out);
            }
            case IfThenElse i -> {
                Expr c = simplify(a, i.cond(), unit);
                if (c instanceof IntImm b) {
                    yield b.value() != 0 ? walk(i.then(), a, unit)
                            : i.otherwise().map(o -> walk(o, a, unit)).orElse(Seq.of());
                }
                yield new IfThenElse(c, walk(i.then(), a, unit), i.otherwise().map(o -> walk(o, a, unit)));
            }
            case LetStmt l -> new LetStmt(l.var(), simplify(a, l.value(), unit), walk(l.body(), a, unit));
        };
    }

    private static Expr simplify(Analyzer a, Expr e, Map<Var, Expr> unit) {
        return simplify(a, dev.lathe.ir.Exprs.substitute(e, unit));
    }
}
