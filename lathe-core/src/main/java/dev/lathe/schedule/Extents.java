package dev.lathe.schedule;

import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Extents of a stage's iterators, derived from its root extents through the split and fuse relations. */
public final class Extents {
    private Extents() {
    }

    /** The extent of iterator {@code id} with the roots over the operation's full domain. */
    public static Expr of(Stage st, int id) {
        return all(st, rootExtents(st)).get(id);
    }

    /**
     * The constant extent of iterator {@code id} over the full domain, or -1 when it is symbolic,
     * data-dependent or cannot be derived.
     */
    public static long constant(Stage st, int id) {
        try {
            return of(st, id) instanceof dev.lathe.ir.IntImm e ? e.value() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The roots' extents over the operation's full domain. */
    public static List<Expr> rootExtents(Stage st) {
        List<Expr> out = new ArrayList<>();
        for (int r = 0; r < st.numRoots(); r++) {
            out.add(st.rootAxis(r).dom().extent());
        }
        return out;
    }

    /** Every iterator's extent given the roots' extents (a split's outer loop rounds up). */
    public static Map<Integer, Expr> all(Stage st, List<Expr> roots) {
        Map<Integer, Expr> ext = new HashMap<>();
        for (int r = 0; r < roots.size(); r++) {
            ext.put(r, roots.get(r));
        }
        for (Relation rel : st.relations()) {
            switch (rel) {
                case Relation.Split s -> {
                    Expr p = ext.get(s.parent());
                    ext.put(s.inner(), s.factor());
                    ext.put(s.outer(), ceilDiv(p, s.factor()));
                }
                case Relation.Fuse f -> ext.put(f.fused(), mul(ext.get(f.outer()), ext.get(f.inner())));
            }
        }
        return ext;
    }

    /** The root iterators an iterator derives from. */
    public static List<Integer> rootsOf(Stage st, int id) {
        if (id < st.numRoots()) {
            return List.of(id);
        }
        for (Relation rel : st.relations()) {
            switch (rel) {
                case Relation.Split s when s.outer() == id || s.inner() == id -> {
                    return rootsOf(st, s.parent());
                }
                case Relation.Fuse f when f.fused() == id -> {
                    List<Integer> out = new ArrayList<>(rootsOf(st, f.outer()));
                    out.addAll(rootsOf(st, f.inner()));
                    return out;
                }
                default -> { }
            }
        }
        throw new IllegalStateException("iterator " + id + " of stage " + st.name() + " has no relation");
    }

    /**
     * The value of iterator {@code id} in terms of the leaf loops' values: a split parent is
     * {@code outer * factor + inner}, the parts of a fuse are the quotient and remainder of the
     * fused loop by the inner part's extent ({@code extents} gives every iterator's extent).
     */
    public static Expr value(Stage st, int id, Map<Integer, ? extends Expr> leafValue, Map<Integer, Expr> extents) {
        Expr v = leafValue.get(id);
        if (v != null) {
            return v;
        }
        for (Relation rel : st.relations()) {
            switch (rel) {
                case Relation.Split sp when sp.parent() == id -> {
                    return value(st, sp.outer(), leafValue, extents).mul(sp.factor())
                            .add(value(st, sp.inner(), leafValue, extents));
                }
                case Relation.Fuse f when f.outer() == id -> {
                    return value(st, f.fused(), leafValue, extents).floordiv(extents.get(f.inner()));
                }
                case Relation.Fuse f when f.inner() == id -> {
                    return value(st, f.fused(), leafValue, extents).floormod(extents.get(f.inner()));
                }
                default -> { }
            }
        }
        throw new IllegalStateException("iterator " + st.iter(id).name() + " of stage " + st.name()
                + " is neither a loop nor derived from one");
    }

    static Expr ceilDiv(Expr a, Expr b) {
        if (a instanceof IntImm x && b instanceof IntImm y) {
            return IntImm.of(Math.floorDiv(x.value() + y.value() - 1, y.value()));
        }
        return a.add(b).sub(1).floordiv(b);
    }

    static Expr mul(Expr a, Expr b) {
        if (a instanceof IntImm x && b instanceof IntImm y) {
            return IntImm.of(x.value() * y.value());
        }
        return a.mul(b);
    }
}
