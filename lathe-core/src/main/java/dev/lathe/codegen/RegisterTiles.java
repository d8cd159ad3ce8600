package dev.lathe.codegen;

import dev.lathe.arith.Simplifier;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.te.Tensor;
import dev.lathe.tir.Allocate;
import dev.lathe.tir.For;
import dev.lathe.tir.ForKind;
import dev.lathe.tir.IfThenElse;
import dev.lathe.tir.LetStmt;
import dev.lathe.tir.Seq;
import dev.lathe.tir.Stmt;
import dev.lathe.tir.Store;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Register tiles: a small local buffer (typically the accumulators of a cache_write stage)
 * whose every access is at a constant position — loops around it unrolled, the vectorized loop
 * unrolled into whole vectors — is emitted as vector variables instead of an array, so the C
 * compiler keeps it in registers across the reduction loop rather than in memory.
 */
final class RegisterTiles {
    /** Vectorized loops of at most this many whole vectors are unrolled into one block per vector. */
    static final int MAX_UNROLLED_VECTORS = 4;
    /** At most this many vector registers per tile (AVX2 has 16, AVX-512 32). */
    private static final int MAX_VECTORS = 16;

    /** A buffer kept in {@code vectors} variables of {@code lanes} lanes each. */
    record Tile(Tensor tensor, List<Expr> extents, int lanes, int vectors) {
        /** The name of the variable holding flat element {@code offset} (its lane is {@code offset % lanes}). */
        String register(String base, long offset) {
            return base + "_r" + offset / lanes;
        }
    }

    private RegisterTiles() {
    }

    /** The allocations of a kernel that can live in registers. */
    static Map<Allocate, Tile> find(Stmt body, VectorTarget target, List<Tensor> params) {
        Map<Tensor, List<Expr>> shapes = new java.util.HashMap<>();
        params.forEach(t -> shapes.put(t, t.shape()));
        collectShapes(body, shapes);
        Map<Allocate, Tile> out = new IdentityHashMap<>();
        walk(body, new Context(target, shapes::get), out);
        return out;
    }

    private record Context(VectorTarget target, java.util.function.Function<Tensor, List<Expr>> shapes) {
    }

    private static void collectShapes(Stmt s, Map<Tensor, List<Expr>> shapes) {
        switch (s) {
            case Allocate a -> {
                shapes.put(a.tensor(), a.extents());
                collectShapes(a.body(), shapes);
            }
            case For f -> collectShapes(f.body(), shapes);
            case Seq q -> q.stmts().forEach(x -> collectShapes(x, shapes));
            case IfThenElse i -> {
                collectShapes(i.then(), shapes);
                i.otherwise().ifPresent(o -> collectShapes(o, shapes));
            }
            case LetStmt l -> collectShapes(l.body(), shapes);
            case Store _ -> { }
        }
    }

    private static void walk(Stmt s, Context cx, Map<Allocate, Tile> out) {
        switch (s) {
            case Allocate a -> {
                candidate(a, cx.target()).filter(t -> accessesFit(a.body(), t, new ArrayList<>(), cx))
                        .ifPresent(t -> out.put(a, t));
                walk(a.body(), cx, out);
            }
            case For f -> walk(f.body(), cx, out);
            case Seq q -> q.stmts().forEach(x -> walk(x, cx, out));
            case IfThenElse i -> {
                walk(i.then(), cx, out);
                i.otherwise().ifPresent(o -> walk(o, cx, out));
            }
            case LetStmt l -> walk(l.body(), cx, out);
            case Store _ -> { }
        }
    }

    private static java.util.Optional<Tile> candidate(Allocate a, VectorTarget target) {
        DType t = a.tensor().dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64 && t != DType.INT32) {
            return java.util.Optional.empty();
        }
        long count = 1;
        for (Expr e : a.extents()) {
            if (!(e instanceof IntImm i)) {
                return java.util.Optional.empty();
            }
            count *= i.value();
        }
        int lanes = target.lanes(t);
        if (count % lanes != 0 || count / lanes > MAX_VECTORS || count == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Tile(a.tensor(), a.extents(), lanes, (int) (count / lanes)));
    }

    /** True if every access of the tile in {@code s} is at a constant place, given the enclosing loops. */
    private static boolean accessesFit(Stmt s, Tile tile, List<For> loops, Context cx) {
        return switch (s) {
            case For f -> {
                if (f.kind() == ForKind.VECTORIZED && mentions(f.body(), tile.tensor())
                        && !(VectorLegality.analyze(f, cx.shapes(), cx.target()) instanceof VectorLegality.Vectorize p
                        && p.lanes() == tile.lanes())) {
                    yield false;
                }
                loops.add(f);
                boolean ok = exprsFit(List.of(f.min(), f.extent()), tile, loops)
                        && accessesFit(f.body(), tile, loops, cx);
                loops.removeLast();
                yield ok;
            }
            case Store st -> exprsFit(st.indices(), tile, loops) && exprsFit(List.of(st.value()), tile, loops)
                    && (!st.tensor().equals(tile.tensor()) || fits(st.indices(), tile, loops));
            case Allocate a -> exprsFit(a.extents(), tile, loops) && accessesFit(a.body(), tile, loops, cx);
            case Seq q -> q.stmts().stream().allMatch(x -> accessesFit(x, tile, loops, cx));
            case IfThenElse i -> exprsFit(List.of(i.cond()), tile, loops) && accessesFit(i.then(), tile, loops, cx)
                    && i.otherwise().map(o -> accessesFit(o, tile, loops, cx)).orElse(true);
            case LetStmt l -> exprsFit(List.of(l.value()), tile, loops) && accessesFit(l.body(), tile, loops, cx);
        };
    }

    private static boolean mentions(Stmt s, Tensor t) {
        boolean[] found = {false};
        dev.lathe.tir.Stmts.mapExprs(s, e -> {
            Exprs.forEach(e, n -> found[0] |= n instanceof TensorRead r && r.tensor().equals(t));
            return e;
        });
        dev.lathe.tir.Stmts.rewrite(s, n -> {
            found[0] |= n instanceof Store st && st.tensor().equals(t);
            return n;
        });
        return found[0];
    }

    private static boolean exprsFit(List<Expr> exprs, Tile tile, List<For> loops) {
        boolean[] ok = {true};
        for (Expr e : exprs) {
            Exprs.forEach(e, n -> {
                if (n instanceof TensorRead r && r.tensor().equals(tile.tensor()) && !fits(r.indices(), tile, loops)) {
                    ok[0] = false;
                }
            });
        }
        return ok[0];
    }

    /**
     * An access fits if its flat position is a constant, or a constant multiple of the lane count
     * plus the variable of an enclosing vectorized loop that is unrolled into whole vectors.
     */
    private static boolean fits(List<Expr> indices, Tile tile, List<For> loops) {
        Expr flat = flat(indices, tile.extents());
        if (flat instanceof IntImm) {
            return true;
        }
        for (For f : loops) {
            if (f.kind() == ForKind.VECTORIZED && unrolledWhole(f, tile.lanes())) {
                OptionalLong at0 = offset(flat, Map.of(f.var(), 0L));
                OptionalLong at1 = offset(flat, Map.of(f.var(), 1L));
                OptionalLong atL = offset(flat, Map.of(f.var(), (long) tile.lanes()));
                if (at0.isPresent() && at1.isPresent() && atL.isPresent() && at1.getAsLong() - at0.getAsLong() == 1
                        && atL.getAsLong() - at0.getAsLong() == tile.lanes() && at0.getAsLong() % tile.lanes() == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A vectorized loop from 0 over whole vectors, few enough to unroll. */
    static boolean unrolledWhole(For f, int lanes) {
        return f.min() instanceof IntImm m && m.value() == 0 && f.extent() instanceof IntImm e
                && e.value() % lanes == 0 && e.value() / lanes <= MAX_UNROLLED_VECTORS && e.value() > 0;
    }

    /** The flat row-major position of an access. */
    static Expr flat(List<Expr> indices, List<Expr> extents) {
        Expr flat = IntImm.of(0);
        long stride = 1;
        for (int d = indices.size() - 1; d >= 0; d--) {
            flat = flat.add(indices.get(d).cast(DType.INT64).mul(stride));
            stride *= ((IntImm) extents.get(d)).value();
        }
        return Simplifier.simplify(flat);
    }

    /** The constant value of a flat position once some variables are known. */
    static OptionalLong offset(Expr flat, Map<Var, Long> known) {
        Map<Var, Expr> sub = new java.util.HashMap<>();
        known.forEach((v, x) -> sub.put(v, IntImm.of(x)));
        Expr e = Simplifier.simplify(Exprs.substitute(flat, sub));
        return e instanceof IntImm i ? OptionalLong.of(i.value()) : OptionalLong.empty();
    }
}
