package dev.lathe.lower;

import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

/**
 * Makes loop annotations executable once stages are nested into each other: a parallel loop
 * inside another parallel loop runs serially (the threads are already in use), and a loop
 * marked vectorized that contains other loops — a stage computed at it — runs serially, since
 * SIMD lanes cannot run loop nests.
 */
final class LoopKinds {
    private LoopKinds() {
    }

    static Stmt normalize(Stmt s) {
        return walk(s, false);
    }

    private static Stmt walk(Stmt s, boolean inParallel) {
        return switch (s) {
            case For f -> {
                ForKind kind = f.kind();
                if (kind == ForKind.PARALLEL && inParallel) {
                    kind = ForKind.SERIAL;
                }
                if (kind == ForKind.VECTORIZED && containsLoop(f.body())) {
                    kind = ForKind.SERIAL;
                }
                boolean par = inParallel || kind == ForKind.PARALLEL || kind == ForKind.VECTORIZED;
                yield new For(f.var(), f.min(), f.extent(), kind, walk(f.body(), par));
            }
            case Store st -> st;
            case Allocate a -> new Allocate(a.tensor(), a.extents(), walk(a.body(), inParallel));
            case Seq q -> new Seq(q.stmts().stream().map(x -> walk(x, inParallel)).toList());
            case IfThenElse i -> new IfThenElse(i.cond(), walk(i.then(), inParallel),
                    i.otherwise().map(o -> walk(o, inParallel)));
            case LetStmt l -> new LetStmt(l.var(), l.value(), walk(l.body(), inParallel));
        };
    }

    private static boolean containsLoop(Stmt s) {
        return switch (s) {
            case For _ -> true;
            case Store _ -> false;
            case Allocate a -> containsLoop(a.body());
            case Seq q -> q.stmts().stream().anyMatch(LoopKinds::containsLoop);
            case IfThenElse i -> containsLoop(i.then()) || i.otherwise().map(LoopKinds::containsLoop).orElse(false);
            case LetStmt l -> containsLoop(l.body());
        };
    }
}
