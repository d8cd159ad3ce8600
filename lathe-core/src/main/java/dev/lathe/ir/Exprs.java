package dev.lathe.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Traversal and rewriting of expressions: the one mechanism every pass over scalar expressions is built on. */
public final class Exprs {
    private Exprs() {
    }

    /** A constant of type {@code t}. */
    public static Expr constant(double v, DType t) {
        return t.isFloat() ? new FloatImm(v, t) : new IntImm((long) v, t);
    }

    /** The smallest value of a type (−∞ for floats): the identity of max. */
    public static Expr lowest(DType t) {
        return switch (t) {
            case FLOAT32, FLOAT64, FLOAT16 -> new FloatImm(Double.NEGATIVE_INFINITY, t);
            case INT8 -> new IntImm(Byte.MIN_VALUE, t);
            case UINT8, BOOL -> new IntImm(0, t);
            case INT32 -> new IntImm(Integer.MIN_VALUE, t);
            case INT64 -> new IntImm(Long.MIN_VALUE, t);
        };
    }

    /** The largest value of a type (+∞ for floats): the identity of min. */
    public static Expr highest(DType t) {
        return switch (t) {
            case FLOAT32, FLOAT64, FLOAT16 -> new FloatImm(Double.POSITIVE_INFINITY, t);
            case INT8 -> new IntImm(Byte.MAX_VALUE, t);
            case UINT8 -> new IntImm(255, t);
            case BOOL -> new IntImm(1, t);
            case INT32 -> new IntImm(Integer.MAX_VALUE, t);
            case INT64 -> new IntImm(Long.MAX_VALUE, t);
        };
    }

    /** The direct sub-expressions of a node, including the bounds of a reduction's axes. */
    public static List<Expr> children(Expr e) {
        return switch (e) {
            case IntImm _, FloatImm _, Var _ -> List.of();
            case Binary b -> List.of(b.a(), b.b());
            case Unary u -> List.of(u.value());
            case Call c -> c.args();
            case Cast c -> List.of(c.value());
            case Select s -> List.of(s.cond(), s.then(), s.otherwise());
            case TensorRead r -> r.indices();
            case Reduce r -> {
                List<Expr> out = new ArrayList<>(r.sources());
                out.add(r.condition());
                for (IterVar a : r.axes()) {
                    out.add(a.dom().min());
                    out.add(a.dom().extent());
                }
                yield out;
            }
        };
    }

    /** Visits every node, parents before children. */
    public static void forEach(Expr e, Consumer<Expr> visit) {
        visit.accept(e);
        for (Expr c : children(e)) {
            forEach(c, visit);
        }
    }

    public static boolean containsReduce(Expr e) {
        if (e instanceof Reduce) {
            return true;
        }
        for (Expr c : children(e)) {
            if (containsReduce(c)) {
                return true;
            }
        }
        return false;
    }

    /** The variables an expression mentions, in order of first appearance (reduce axes included). */
    public static Set<Var> vars(Expr e) {
        Set<Var> out = new LinkedHashSet<>();
        forEach(e, n -> {
            if (n instanceof Var v) {
                out.add(v);
            }
        });
        return out;
    }

    /**
     * Rebuilds an expression bottom-up: children first, then {@code post} on the node rebuilt from
     * the new children. Nodes whose children did not change are passed on unchanged.
     */
    public static Expr rewrite(Expr e, UnaryOperator<Expr> post) {
        Expr rebuilt = switch (e) {
            case IntImm _, FloatImm _, Var _ -> e;
            case Binary b -> {
                Expr a = rewrite(b.a(), post);
                Expr c = rewrite(b.b(), post);
                yield a == b.a() && c == b.b() ? b : new Binary(b.op(), a, c);
            }
            case Unary u -> {
                Expr v = rewrite(u.value(), post);
                yield v == u.value() ? u : new Unary(u.op(), v);
            }
            case Call c -> {
                List<Expr> args = rewriteAll(c.args(), post);
                yield args == c.args() ? c : new Call(c.fn(), args);
            }
            case Cast c -> {
                Expr v = rewrite(c.value(), post);
                yield v == c.value() ? c : new Cast(c.dtype(), v);
            }
            case Select s -> {
                Expr c = rewrite(s.cond(), post);
                Expr t = rewrite(s.then(), post);
                Expr f = rewrite(s.otherwise(), post);
                yield c == s.cond() && t == s.then() && f == s.otherwise() ? s : new Select(c, t, f);
            }
            case TensorRead r -> {
                List<Expr> idx = rewriteAll(r.indices(), post);
                yield idx == r.indices() ? r : new TensorRead(r.tensor(), idx);
            }
            case Reduce r -> {
                List<Expr> src = rewriteAll(r.sources(), post);
                Expr cond = rewrite(r.condition(), post);
                List<IterVar> axes = new ArrayList<>();
                boolean same = src == r.sources() && cond == r.condition();
                for (IterVar a : r.axes()) {
                    Expr min = rewrite(a.dom().min(), post);
                    Expr ext = rewrite(a.dom().extent(), post);
                    if (min == a.dom().min() && ext == a.dom().extent()) {
                        axes.add(a);
                    } else {
                        axes.add(new IterVar(a.var(), new Range(min, ext), a.kind()));
                        same = false;
                    }
                }
                yield same ? r : new Reduce(r.reducer(), src, axes, cond, r.valueIndex());
            }
        };
        return post.apply(rebuilt);
    }

    /** Rewrites each expression of a list; returns the same list instance when nothing changed. */
    public static List<Expr> rewriteAll(List<Expr> list, UnaryOperator<Expr> post) {
        List<Expr> out = new ArrayList<>(list.size());
        boolean same = true;
        for (Expr e : list) {
            Expr n = rewrite(e, post);
            same &= n == e;
            out.add(n);
        }
        return same ? list : List.copyOf(out);
    }

    /** Replaces variables by expressions. */
    public static Expr substitute(Expr e, Map<Var, ? extends Expr> map) {
        if (map.isEmpty()) {
            return e;
        }
        return rewrite(e, n -> n instanceof Var v && map.containsKey(v) ? map.get(v) : n);
    }

    /** The constant value of an integer expression, if it is a literal. */
    public static java.util.OptionalLong asConst(Expr e) {
        return e instanceof IntImm i ? java.util.OptionalLong.of(i.value()) : java.util.OptionalLong.empty();
    }
}
