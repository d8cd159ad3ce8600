package dev.lathe.lower;

import dev.lathe.ir.IntImm;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Stmts;
import dev.lathe.tir.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The unroll pragmas of a stage: {@code auto_unroll_max_step} marks every serial loop of
 * constant extent whose whole body runs at most that many statements as unrolled;
 * {@code unroll_explicit} expands unrolled loops in the loop IR instead of leaving it to the C
 * compiler.
 */
final class Unroll {
    private Unroll() {
    }

    static Stmt auto(Stmt s, int maxStep) {
        if (maxStep <= 0) {
            return s;
        }
        return Stmts.rewrite(s, n -> n instanceof For f && f.kind() == ForKind.SERIAL && f.extent() instanceof IntImm
                && steps(f) <= maxStep ? new For(f.var(), f.min(), f.extent(), ForKind.UNROLLED, f.body()) : n);
    }

    /** Statements executed by {@code s}; loops of unknown extent count as unbounded. */
    private static long steps(Stmt s) {
        return switch (s) {
            case For f -> f.extent() instanceof IntImm e ? saturatingMul(e.value(), steps(f.body())) : Long.MAX_VALUE;
            case Store _ -> 1;
            case Allocate a -> steps(a.body());
            case Seq q -> q.stmts().stream().mapToLong(Unroll::steps).reduce(0, Unroll::saturatingAdd);
            case IfThenElse i -> saturatingAdd(steps(i.then()), i.otherwise().map(Unroll::steps).orElse(0L));
            case LetStmt l -> steps(l.body());
        };
    }

    static Stmt explicit(Stmt s) {
        return Stmts.rewrite(s, n -> {
            if (n instanceof For f && f.kind() == ForKind.UNROLLED && f.extent() instanceof IntImm e && e.value() <= 256) {
                List<Stmt> copies = new ArrayList<>();
                for (long v = 0; v < e.value(); v++) {
                    copies.add(Stmts.substitute(f.body(), Map.of(f.var(), Simplify.expr(f.min().add(v)))));
                }
                return Seq.of(copies);
            }
            return n;
        });
    }

    private static long saturatingMul(long a, long b) {
        long r = a * b;
        return a != 0 && (r / a != b || r < 0) ? Long.MAX_VALUE : r;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
