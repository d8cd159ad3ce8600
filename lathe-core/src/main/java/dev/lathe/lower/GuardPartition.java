package dev.lathe.lower;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loop partitioning for the guards of non-divisible splits and partial tiles: inside a loop,
 * a guard that depends on inner loops is versioned — if a condition that implies it for every
 * inner iteration holds, a copy of the body without the guard runs; otherwise the guarded body.
 * The main body of a tiled loop nest is thus free of guards, only the last tiles test them.
 */
final class GuardPartition {
    private GuardPartition() {
    }

    static Stmt apply(Stmt s) {
        return walk(s, new HashSet<>());
    }

    /** {@code defined}: loop and let variables bound around {@code s}. */
    private static Stmt walk(Stmt s, Set<Var> defined) {
        return switch (s) {
            case For f -> {
                defined.add(f.var());
                Stmt body = version(f.body(), defined);
                defined.remove(f.var());
                yield new For(f.var(), f.min(), f.extent(), f.kind(), body);
            }
            case Allocate a -> new Allocate(a.tensor(), a.extents(), walk(a.body(), defined));
            case Seq q -> {
                List<Stmt> out = new ArrayList<>();
                for (Stmt x : q.stmts()) {
                    out.add(walk(x, defined));
                }
                yield Seq.of(out);
            }
            case IfThenElse i -> new IfThenElse(i.cond(), walk(i.then(), defined), i.otherwise().map(o -> walk(o, defined)));
            case LetStmt l -> {
                defined.add(l.var());
                Stmt body = walk(l.body(), defined);
                defined.remove(l.var());
                yield new LetStmt(l.var(), l.value(), body);
            }
            case Store st -> st;
        };
    }

    /** Versions the body of a loop on the guards inside it whose other variables are all defined here. */
    private static Stmt version(Stmt body, Set<Var> defined) {
        Map<Var, Interval> inner = new HashMap<>();
        java.util.Collection<Expr> sufficient = new java.util.LinkedHashSet<>();
        Set<Expr> removable = new HashSet<>();
        collect(body, defined, inner, sufficient, removable);
        if (removable.isEmpty()) {
            return walk(body, defined);
        }
        Expr cond = sufficient.stream().reduce(Expr::and).orElseThrow();
        Stmt fast = walk(removeGuards(body, removable), defined);
        return new IfThenElse(Simplify.expr(cond), fast, Optional.of(body));
    }

    private static void collect(Stmt s, Set<Var> defined, Map<Var, Interval> inner, java.util.Collection<Expr> sufficient,
                                Set<Expr> removable) {
        switch (s) {
            case For f -> {
                if (!(f.extent() instanceof IntImm) && !definedOnly(f.extent(), defined)) {
                    return;
                }
                inner.put(f.var(), new Interval(f.min(), Simplify.expr(f.min().add(f.extent()).sub(1))));
                collect(f.body(), defined, inner, sufficient, removable);
                inner.remove(f.var());
            }
            case Allocate a -> collect(a.body(), defined, inner, sufficient, removable);
            case Seq q -> q.stmts().forEach(x -> collect(x, defined, inner, sufficient, removable));
            case IfThenElse i -> {
                if (i.otherwise().isEmpty()) {
                    Optional<Expr> whole = impliedForAll(i.cond(), defined, inner);
                    if (whole.isPresent()) {
                        sufficient.add(Simplify.expr(whole.get()));
                        removable.add(i.cond());
                    }
                }
                collect(i.then(), defined, inner, sufficient, removable);
            }
            case LetStmt l -> collect(l.body(), defined, inner, sufficient, removable);
            case Store _ -> { }
        }
    }

    /** A condition over the defined variables that makes {@code cond} true for every value of the inner loops. */
    private static Optional<Expr> impliedForAll(Expr cond, Set<Var> defined, Map<Var, Interval> inner) {
        if (cond instanceof Binary b && b.op() == BinaryOp.AND) {
            Optional<Expr> x = impliedForAll(b.a(), defined, inner);
            Optional<Expr> y = impliedForAll(b.b(), defined, inner);
            return x.isPresent() && y.isPresent() ? Optional.of(x.get().and(y.get())) : Optional.empty();
        }
        if (!(cond instanceof Binary b) || !b.op().isComparison() || !b.a().dtype().isInt()) {
            return Optional.empty();
        }
        for (Var v : Exprs.vars(cond)) {
            if (!defined.contains(v) && !inner.containsKey(v)) {
                return Optional.empty();
            }
        }
        Expr diff = Simplify.expr(b.a().sub(b.b()));
        Optional<Interval> iv = Interval.of(diff, inner);
        if (iv.isEmpty() || !definedOnly(iv.get().lo(), defined) || !definedOnly(iv.get().hi(), defined)) {
            return Optional.empty();
        }
        Expr lo = iv.get().lo();
        Expr hi = iv.get().hi();
        return switch (b.op()) {
            case LT -> Optional.of(hi.lt(0));
            case LE -> Optional.of(hi.le(0));
            case GT -> Optional.of(lo.gt(0));
            case GE -> Optional.of(lo.ge(0));
            default -> Optional.empty();
        };
    }

    private static boolean definedOnly(Expr e, Set<Var> defined) {
        boolean[] ok = {true};
        Exprs.forEach(e, n -> {
            if (n instanceof Var v && !defined.contains(v)) {
                ok[0] = false;
            }
            if (n instanceof dev.lathe.ir.TensorRead) {
                ok[0] = false;
            }
        });
        return ok[0];
    }

    private static Stmt removeGuards(Stmt s, Set<Expr> removable) {
        return dev.lathe.tir.Stmts.rewrite(s, n -> n instanceof IfThenElse i && i.otherwise().isEmpty()
                && removable.contains(i.cond()) ? i.then() : n);
    }
}
