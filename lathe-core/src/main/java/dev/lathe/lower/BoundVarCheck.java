package dev.lathe.lower;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.Var;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.PrimFunc;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that every variable a kernel uses is bound: by a loop, a let, or as a size variable of
 * some tensor's shape. A variable used only inside expressions has no value at run time.
 */
public final class BoundVarCheck {
    private BoundVarCheck() {
    }

    public static void check(PrimFunc f) {
        Set<Var> bound = new HashSet<>(f.sizeVars());
        walk(f.body(), bound, f);
    }

    private static void walk(Stmt s, Set<Var> bound, PrimFunc f) {
        switch (s) {
            case For l -> {
                use(List.of(l.min(), l.extent()), bound, f);
                scoped(l.var(), l.body(), bound, f);
            }
            case Store st -> {
                use(st.indices(), bound, f);
                use(List.of(st.value()), bound, f);
            }
            case Allocate a -> {
                use(a.extents(), bound, f);
                walk(a.body(), bound, f);
            }
            case Seq q -> q.stmts().forEach(x -> walk(x, bound, f));
            case IfThenElse i -> {
                use(List.of(i.cond()), bound, f);
                walk(i.then(), bound, f);
                i.otherwise().ifPresent(o -> walk(o, bound, f));
            }
            case LetStmt l -> {
                use(List.of(l.value()), bound, f);
                scoped(l.var(), l.body(), bound, f);
            }
        }
    }

    private static void scoped(Var v, Stmt body, Set<Var> bound, PrimFunc f) {
        boolean added = bound.add(v);
        walk(body, bound, f);
        if (added) {
            bound.remove(v);
        }
    }

    private static void use(List<Expr> exprs, Set<Var> bound, PrimFunc f) {
        for (Expr e : exprs) {
            for (Var v : Exprs.vars(e)) {
                if (!bound.contains(v)) {
                    throw new IllegalArgumentException("variable " + v.name() + " is used in " + e + " but has no value in "
                            + "kernel " + f.name() + ": it is neither an iterator of the computation nor a size variable "
                            + "of any tensor's shape. Use it in a placeholder's shape, or replace it by a constant.");
                }
            }
        }
    }
}
