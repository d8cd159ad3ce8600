package dev.lathe.te;

import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Call;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Intrinsic;
import dev.lathe.ir.IterKind;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.MalformedExpressionException;
import dev.lathe.ir.Promote;
import dev.lathe.ir.Range;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.Select;
import dev.lathe.ir.Var;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The tensor-expression DSL. Import it statically:
 * <pre>{@code
 * Tensor A = placeholder(List.of(n, 1024), FLOAT32, "A");
 * IterVar k = reduceAxis(0, 1024, "k");
 * Tensor C = compute(List.of(n, 512), (i, j) -> sum(A.get(i, k).mul(B.get(k, j)), k), "C");
 * }</pre>
 */
public final class Te {
    private static final String[] AXIS_NAMES = {"i", "j", "l", "m", "p", "q", "r", "s"};

    private Te() {
    }

    // ---- declarations

    /** A fresh size variable for symbolic shapes. */
    public static Var sizeVar(String name) {
        return Var.of(Names.check(name), DType.INT64);
    }

    public static Tensor placeholder(List<?> shape, DType dtype, String name) {
        return new PlaceholderOp(name, Shapes.of(shape), dtype).output(0);
    }

    @FunctionalInterface
    public interface Fn1 { Expr apply(Var i); }
    @FunctionalInterface
    public interface Fn2 { Expr apply(Var i, Var j); }
    @FunctionalInterface
    public interface Fn3 { Expr apply(Var i, Var j, Var l); }
    @FunctionalInterface
    public interface Fn4 { Expr apply(Var i, Var j, Var l, Var m); }
    @FunctionalInterface
    public interface Fn5 { Expr apply(Var i, Var j, Var l, Var m, Var p); }

    public static Tensor compute(List<?> shape, Fn1 fn, String name) {
        return computeN(shape, v -> fn.apply(v.get(0)), name);
    }

    public static Tensor compute(List<?> shape, Fn2 fn, String name) {
        return computeN(shape, v -> fn.apply(v.get(0), v.get(1)), name);
    }

    public static Tensor compute(List<?> shape, Fn3 fn, String name) {
        return computeN(shape, v -> fn.apply(v.get(0), v.get(1), v.get(2)), name);
    }

    public static Tensor compute(List<?> shape, Fn4 fn, String name) {
        return computeN(shape, v -> fn.apply(v.get(0), v.get(1), v.get(2), v.get(3)), name);
    }

    public static Tensor compute(List<?> shape, Fn5 fn, String name) {
        return computeN(shape, v -> fn.apply(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4)), name);
    }

    /** A compute of any rank; the function receives one index variable per dimension. */
    public static Tensor computeN(List<?> shape, Function<List<Var>, Expr> fn, String name) {
        return computeMulti(shape, v -> List.of(fn.apply(v)), name, defaultAxisNames(shape.size())).getFirst();
    }

    /** A compute whose iterators get the given names (they appear in printed schedules and C code). */
    public static Tensor computeN(List<?> shape, Function<List<Var>, Expr> fn, String name, List<String> axisNames) {
        return computeMulti(shape, v -> List.of(fn.apply(v)), name, axisNames).getFirst();
    }

    /** A compute with several outputs, e.g. the values of a multi-value reduction such as argmax. */
    public static List<Tensor> computeMulti(List<?> shape, Function<List<Var>, List<Expr>> fn, String name) {
        return computeMulti(shape, fn, name, defaultAxisNames(shape.size()));
    }

    public static List<Tensor> computeMulti(List<?> shape, Function<List<Var>, List<Expr>> fn, String name,
                                            List<String> axisNames) {
        List<Expr> dims = Shapes.of(shape);
        if (axisNames.size() != dims.size()) {
            throw new IllegalArgumentException("compute " + name + " has " + dims.size() + " dimensions but "
                    + axisNames.size() + " axis names");
        }
        List<IterVar> axes = new ArrayList<>();
        List<Var> vars = new ArrayList<>();
        for (int d = 0; d < dims.size(); d++) {
            Var v = Var.of(Names.check(axisNames.get(d)));
            vars.add(v);
            axes.add(new IterVar(v, Range.fromExtent(dims.get(d)), IterKind.SPACE));
        }
        List<Expr> bodies = fn.apply(List.copyOf(vars));
        ComputeOp op = new ComputeOp(name, axes, bodies);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < op.numOutputs(); i++) {
            out.add(op.output(i));
        }
        return out;
    }

    private static List<String> defaultAxisNames(int rank) {
        List<String> names = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            names.add(d < AXIS_NAMES.length ? AXIS_NAMES[d] : "i" + d);
        }
        return names;
    }

    /** A reduce axis over {@code [begin, end)}; the bounds may depend on outer iterators and tensor values. */
    public static IterVar reduceAxis(Object begin, Object end, String name) {
        Expr b = Promote.literal(begin, DType.INT64);
        Expr e = Promote.literal(end, DType.INT64);
        // Constant bounds give a constant extent, so printed DAGs read [0, 3) rather than [0, 3 - 0).
        Expr extent = b instanceof IntImm bi && e instanceof IntImm ei ? IntImm.of(ei.value() - bi.value())
                : b instanceof IntImm bi && bi.value() == 0 ? e : e.sub(b);
        return new IterVar(Var.of(Names.check(name)), new Range(b.cast(DType.INT64), extent.cast(DType.INT64)),
                IterKind.REDUCE);
    }

    // ---- reductions

    public static Expr sum(Expr source, IterVar... axes) {
        return single(Reducer.sum(source.dtype()), source, axes);
    }

    /** A sum over the points of the axes where {@code where} holds. */
    public static Expr sum(Expr source, Expr where, IterVar... axes) {
        return reduce(Reducer.sum(source.dtype()), List.of(source), where, axes).getFirst();
    }

    public static Expr prod(Expr source, IterVar... axes) {
        return single(Reducer.prod(source.dtype()), source, axes);
    }

    /**
     * A max over one axis. Needed as its own overload: without it Java resolves {@code max(x, k)}
     * to the element-wise {@link #max(Expr, Object)} (fixed arity wins over varargs).
     */
    public static Expr max(Expr source, IterVar axis) {
        return single(Reducer.max(source.dtype()), source, axis);
    }

    public static Expr max(Expr source, IterVar... axes) {
        return single(Reducer.max(source.dtype()), source, axes);
    }

    /** A min over one axis; see {@link #max(Expr, IterVar)} for why this overload exists. */
    public static Expr min(Expr source, IterVar axis) {
        return single(Reducer.min(source.dtype()), source, axis);
    }

    public static Expr min(Expr source, IterVar... axes) {
        return single(Reducer.min(source.dtype()), source, axes);
    }

    private static Expr single(Reducer r, Expr source, IterVar... axes) {
        return reduce(r, List.of(source), IntImm.TRUE, axes).getFirst();
    }

    /** Reduces sources with a (possibly multi-value) reducer; returns one expression per value. */
    public static List<Expr> reduce(Reducer reducer, List<Expr> sources, IterVar... axes) {
        return reduce(reducer, sources, IntImm.TRUE, axes);
    }

    public static List<Expr> reduce(Reducer reducer, List<Expr> sources, Expr where, IterVar... axes) {
        if (axes.length == 0) {
            throw new MalformedExpressionException("reduction with " + reducer.name() + " needs at least one reduce axis");
        }
        List<Expr> out = new ArrayList<>();
        for (int v = 0; v < reducer.arity(); v++) {
            out.add(new Reduce(reducer, sources, Arrays.asList(axes), where, v));
        }
        return out;
    }

    // ---- scalar helpers

    /** {@code cond ? then : otherwise}. */
    public static Expr ifThenElse(Expr cond, Object then, Object otherwise) {
        Expr t = then instanceof Expr e ? e : null;
        Expr f = otherwise instanceof Expr e ? e : null;
        if (t == null && f == null) {
            throw new MalformedExpressionException("ifThenElse needs at least one Expr branch to know its type");
        }
        DType type = t != null ? t.dtype() : f.dtype();
        t = Promote.literal(then, f != null && t != null && isConst(t) ? f.dtype() : type);
        f = Promote.literal(otherwise, t.dtype());
        return new Select(cond, t, f);
    }

    private static boolean isConst(Expr e) {
        return Exprs.asConst(e).isPresent() || e instanceof dev.lathe.ir.FloatImm;
    }

    /** Alias of {@link #ifThenElse}. */
    public static Expr select(Expr cond, Object then, Object otherwise) {
        return ifThenElse(cond, then, otherwise);
    }

    public static Expr constant(double value, DType dtype) {
        return Exprs.constant(value, dtype);
    }

    public static Expr cast(Expr e, DType to) {
        return e.cast(to);
    }

    public static Expr exp(Expr x) { return call(Intrinsic.EXP, x); }
    public static Expr log(Expr x) { return call(Intrinsic.LOG, x); }
    public static Expr sqrt(Expr x) { return call(Intrinsic.SQRT, x); }
    public static Expr rsqrt(Expr x) { return call(Intrinsic.RSQRT, x); }
    public static Expr tanh(Expr x) { return call(Intrinsic.TANH, x); }
    public static Expr sigmoid(Expr x) { return call(Intrinsic.SIGMOID, x); }
    public static Expr abs(Expr x) { return call(Intrinsic.ABS, x); }
    public static Expr erf(Expr x) { return call(Intrinsic.ERF, x); }
    public static Expr floor(Expr x) { return call(Intrinsic.FLOOR, x); }
    public static Expr ceil(Expr x) { return call(Intrinsic.CEIL, x); }
    /** Round half to even. */
    public static Expr round(Expr x) { return call(Intrinsic.ROUND, x); }

    public static Expr pow(Expr x, Object y) {
        return new Call(Intrinsic.POW, List.of(x, Promote.literal(y, x.dtype())));
    }

    private static Expr call(Intrinsic fn, Expr x) {
        return new Call(fn, List.of(x));
    }

    public static Expr max(Expr a, Object b) { return a.max(b); }
    public static Expr min(Expr a, Object b) { return a.min(b); }
    public static Expr floordiv(Expr a, Object b) { return a.floordiv(b); }
    public static Expr floormod(Expr a, Object b) { return a.floormod(b); }
    public static Expr truncdiv(Expr a, Object b) { return a.truncdiv(b); }
    public static Expr truncmod(Expr a, Object b) { return a.truncmod(b); }

    /** The binary operator applied to two operands with the builders' promotions. */
    public static Expr binary(BinaryOp op, Expr a, Object b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case FLOORDIV -> a.floordiv(b);
            case FLOORMOD -> a.floormod(b);
            case TRUNCDIV -> a.truncdiv(b);
            case TRUNCMOD -> a.truncmod(b);
            case MIN -> a.min(b);
            case MAX -> a.max(b);
            case EQ -> a.eq(b);
            case NE -> a.ne(b);
            case LT -> a.lt(b);
            case LE -> a.le(b);
            case GT -> a.gt(b);
            case GE -> a.ge(b);
            case AND -> a.and(b);
            case OR -> a.or(b);
        };
    }
}
