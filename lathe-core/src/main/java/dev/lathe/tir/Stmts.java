package dev.lathe.tir;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.Var;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Rewriting of statements: the statement-level counterpart of {@link Exprs#rewrite}. */
public final class Stmts {
    private Stmts() {
    }

    /** Applies {@code f} to every expression of every statement (loop bounds, indices, values, conditions). */
    public static Stmt mapExprs(Stmt s, UnaryOperator<Expr> f) {
        return switch (s) {
            case For l -> new For(l.var(), f.apply(l.min()), f.apply(l.extent()), l.kind(), mapExprs(l.body(), f));
            case Store st -> new Store(st.tensor(), st.indices().stream().map(f).toList(), f.apply(st.value()));
            case Allocate a -> new Allocate(a.tensor(), a.extents().stream().map(f).toList(), mapExprs(a.body(), f));
            case Seq q -> new Seq(q.stmts().stream().map(x -> mapExprs(x, f)).toList());
            case IfThenElse i -> new IfThenElse(f.apply(i.cond()), mapExprs(i.then(), f),
                    i.otherwise().map(o -> mapExprs(o, f)));
            case LetStmt l -> new LetStmt(l.var(), f.apply(l.value()), mapExprs(l.body(), f));
        };
    }

    /** Replaces variables in every expression of a statement. */
    public static Stmt substitute(Stmt s, Map<Var, ? extends Expr> map) {
        return mapExprs(s, e -> Exprs.substitute(e, map));
    }

    /** Rebuilds a statement bottom-up, applying {@code post} to each rebuilt statement. */
    public static Stmt rewrite(Stmt s, UnaryOperator<Stmt> post) {
        Stmt rebuilt = switch (s) {
            case For l -> new For(l.var(), l.min(), l.extent(), l.kind(), rewrite(l.body(), post));
            case Store st -> st;
            case Allocate a -> new Allocate(a.tensor(), a.extents(), rewrite(a.body(), post));
            case Seq q -> {
                List<Stmt> out = new ArrayList<>();
                for (Stmt x : q.stmts()) {
                    out.add(rewrite(x, post));
                }
                yield Seq.of(out);
            }
            case IfThenElse i -> new IfThenElse(i.cond(), rewrite(i.then(), post), i.otherwise().map(o -> rewrite(o, post)));
            case LetStmt l -> new LetStmt(l.var(), l.value(), rewrite(l.body(), post));
        };
        return post.apply(rebuilt);
    }
}
