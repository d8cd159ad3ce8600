package dev.lathe.reference;

import dev.lathe.ir.Binary;
import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.UnaryOp;
import dev.lathe.ir.Var;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates scalar expressions under variable bindings, reading tensors from arrays.
 * <p>
 * Every expression has a static type, so there are two evaluators: {@link #evalInt} for integer
 * and bool expressions (exact in a {@code long}, wrapped to the type after every operation) and
 * {@link #evalFloat} for float expressions (in a {@code double}, rounded to float after every
 * float32 or float16 operation). A float16 expression is a float32 value until it is stored.
 */
final class Interpreter {
    private final Map<Tensor, NDArray> arrays;
    private final Map<Var, Long> ints = new HashMap<>();
    private final Map<Var, Double> floats = new HashMap<>();

    Interpreter(Map<Tensor, NDArray> arrays) {
        this.arrays = arrays;
    }

    void bind(Var v, long value) {
        ints.put(v, v.dtype().wrap(value));
    }

    void bindFloat(Var v, double value) {
        floats.put(v, round(v.dtype(), value));
    }

    void unbind(Var v) {
        ints.remove(v);
        floats.remove(v);
    }

    /** The value of an integer or bool expression (bools are 0 or 1). */
    long evalInt(Expr e) {
        return switch (e) {
            case IntImm i -> i.value();
            case Var v -> {
                Long x = ints.get(v);
                if (x == null) {
                    throw unbound(v);
                }
                yield x;
            }
            case Binary b when b.op().isComparison() -> compare(b) ? 1 : 0;
            // Short-circuit like C: the right operand may read out of bounds when the left decides.
            case Binary b when b.op() == BinaryOp.AND -> evalInt(b.a()) != 0 && evalInt(b.b()) != 0 ? 1 : 0;
            case Binary b when b.op() == BinaryOp.OR -> evalInt(b.a()) != 0 || evalInt(b.b()) != 0 ? 1 : 0;
            case Binary b -> b.dtype().wrap(intOp(b.op(), evalInt(b.a()), evalInt(b.b()), b));
            case Unary u -> u.op() == UnaryOp.NOT ? 1 - evalInt(u.value()) : u.dtype().wrap(-evalInt(u.value()));
            case Call c -> switch (c.fn()) {
                case ABS -> c.dtype().wrap(Math.abs(evalInt(c.args().getFirst())));
                default -> throw notInt(e);
            };
            case Cast c -> castToInt(c.dtype(), c.value());
            case Select s -> evalInt(s.cond()) != 0 ? evalInt(s.then()) : evalInt(s.otherwise());
            case TensorRead r -> {
                NDArray a = array(r.tensor());
                yield a.getLong(flatIndex(r, a));
            }
            case Reduce r -> throw nestedReduce(r);
            case FloatImm _ -> throw notInt(e);
        };
    }

    /** The value of a float expression, already rounded to its type's precision. */
    double evalFloat(Expr e) {
        return switch (e) {
            case FloatImm f -> f.value();
            case Var v -> {
                Double x = floats.get(v);
                if (x == null) {
                    throw unbound(v);
                }
                yield x;
            }
            case Binary b -> round(b.dtype(), floatOp(b.op(), evalFloat(b.a()), evalFloat(b.b())));
            case Unary u when u.op() == UnaryOp.NEG -> -evalFloat(u.value());
            case Call c -> round(c.dtype(), call(c));
            case Cast c -> castToFloat(c.dtype(), c.value());
            case Select s -> evalInt(s.cond()) != 0 ? evalFloat(s.then()) : evalFloat(s.otherwise());
            case TensorRead r -> {
                NDArray a = array(r.tensor());
                yield a.getDouble(flatIndex(r, a));
            }
            case Reduce r -> throw nestedReduce(r);
            case IntImm _, Unary _ -> throw notFloat(e);
        };
    }

    /**
     * Evaluates every value of a (possibly multi-value) reduction at the current bindings.
     * Integer and bool values land in {@code ints}, float values in {@code floats}, by value index.
     */
    void reduce(Reduce r, long[] intAcc, double[] floatAcc) {
        Reducer red = r.reducer();
        List<DType> types = red.types();
        for (int v = 0; v < types.size(); v++) {
            if (types.get(v).isFloat()) {
                floatAcc[v] = evalFloat(red.identity().get(v));
            } else {
                intAcc[v] = evalInt(red.identity().get(v));
            }
        }
        iterate(r, 0, intAcc, floatAcc, new long[types.size()], new double[types.size()]);
    }

    /** Loops over reduce axis {@code axis} and the ones inside it; bounds are evaluated with the outer axes bound. */
    private void iterate(Reduce r, int axis, long[] intAcc, double[] floatAcc, long[] intTmp, double[] floatTmp) {
        if (axis == r.axes().size()) {
            if (evalInt(r.condition()) != 0) {
                combine(r, intAcc, floatAcc, intTmp, floatTmp);
            }
            return;
        }
        IterVar a = r.axes().get(axis);
        long min = evalInt(a.dom().min());
        long extent = evalInt(a.dom().extent());
        for (long k = 0; k < extent; k++) {
            bind(a.var(), min + k);
            iterate(r, axis + 1, intAcc, floatAcc, intTmp, floatTmp);
        }
        unbind(a.var());
    }

    private void combine(Reduce r, long[] intAcc, double[] floatAcc, long[] intTmp, double[] floatTmp) {
        Reducer red = r.reducer();
        int n = red.arity();
        // All sources first, then all combiner results from the old accumulator, then assign:
        // the values of a multi-value reducer are updated together.
        for (int v = 0; v < n; v++) {
            Var rhs = red.rhs().get(v);
            if (rhs.dtype().isFloat()) {
                bindFloat(rhs, evalFloat(r.sources().get(v)));
            } else {
                bind(rhs, evalInt(r.sources().get(v)));
            }
            Var lhs = red.lhs().get(v);
            if (lhs.dtype().isFloat()) {
                bindFloat(lhs, floatAcc[v]);
            } else {
                bind(lhs, intAcc[v]);
            }
        }
        for (int v = 0; v < n; v++) {
            Expr c = red.combiner().get(v);
            if (c.dtype().isFloat()) {
                floatTmp[v] = evalFloat(c);
            } else {
                intTmp[v] = evalInt(c);
            }
        }
        System.arraycopy(intTmp, 0, intAcc, 0, n);
        System.arraycopy(floatTmp, 0, floatAcc, 0, n);
    }

    private boolean compare(Binary b) {
        if (b.a().dtype().isFloat()) {
            double x = evalFloat(b.a());
            double y = evalFloat(b.b());
            return switch (b.op()) {
                case EQ -> x == y;
                case NE -> x != y;
                case LT -> x < y;
                case LE -> x <= y;
                case GT -> x > y;
                case GE -> x >= y;
                default -> throw new IllegalStateException("not a comparison: " + b);
            };
        }
        long x = evalInt(b.a());
        long y = evalInt(b.b());
        return switch (b.op()) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            default -> throw new IllegalStateException("not a comparison: " + b);
        };
    }

    private static long intOp(BinaryOp op, long x, long y, Binary b) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
            case FLOORDIV -> Math.floorDiv(x, nonZero(y, b));
            case FLOORMOD -> Math.floorMod(x, nonZero(y, b));
            case TRUNCDIV -> x / nonZero(y, b);
            case TRUNCMOD -> x % nonZero(y, b);
            case DIV, EQ, NE, LT, LE, GT, GE, AND, OR ->
                    throw new IllegalStateException(op.symbol() + " is not integer arithmetic: " + b);
        };
    }

    private static long nonZero(long divisor, Binary b) {
        if (divisor == 0) {
            throw new ArithmeticException("integer division by zero in " + b
                    + " (a compiled kernel's behaviour here is undefined; guard the divisor)");
        }
        return divisor;
    }

    private static double floatOp(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            // Compare-and-select, as compiled kernels do: with a NaN operand the second one is the result.
            case MIN -> x < y ? x : y;
            case MAX -> x > y ? x : y;
            default -> throw new IllegalStateException(op.symbol() + " is not float arithmetic");
        };
    }

    /** An intrinsic computed in double; the caller rounds it to the call's type. */
    private double call(Call c) {
        double x = evalFloat(c.args().getFirst());
        return switch (c.fn()) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case POW -> Math.pow(x, evalFloat(c.args().get(1)));
            case ABS -> Math.abs(x);
            case ERF -> ReferenceMath.erf(x);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
        };
    }

    /** C conversions to an integer or bool type. Float to integer truncates; out-of-range values are undefined in C. */
    private long castToInt(DType to, Expr value) {
        if (value.dtype().isFloat()) {
            double x = evalFloat(value);
            return to.isBool() ? (x != 0 ? 1 : 0) : to.wrap((long) x);
        }
        return to.wrap(evalInt(value));
    }

    /** C conversions to a float type, rounding once (a long goes straight to float, never through double). */
    private double castToFloat(DType to, Expr value) {
        double v;
        if (value.dtype().isFloat()) {
            v = round(to, evalFloat(value));
        } else {
            long x = evalInt(value);
            v = to == DType.FLOAT64 ? (double) x : (double) (float) x;
        }
        // An explicit cast to float16 rounds to half precision; arithmetic on the result continues in float32.
        return to == DType.FLOAT16 ? Float.float16ToFloat(Float.floatToFloat16((float) v)) : v;
    }

    /** Rounds a result to the precision its type is computed in: float32 for float32 and float16. */
    static double round(DType t, double v) {
        return t == DType.FLOAT64 ? v : (double) (float) v;
    }

    private NDArray array(Tensor t) {
        NDArray a = arrays.get(t);
        if (a == null) {
            throw new IllegalStateException("tensor " + t.name() + " is read before it is computed");
        }
        return a;
    }

    private long flatIndex(TensorRead r, NDArray a) {
        List<Expr> idx = r.indices();
        long[] at = new long[idx.size()];
        long flat = 0;
        for (int d = 0; d < at.length; d++) {
            at[d] = evalInt(idx.get(d));
        }
        for (int d = 0; d < at.length; d++) {
            if (at[d] < 0 || at[d] >= a.dim(d)) {
                throw new IndexOutOfBoundsException("read of " + r.tensor().name() + Arrays.toString(at)
                        + " is outside its shape " + Arrays.toString(a.shape()) + " (in " + r + ")");
            }
            flat = flat * a.dim(d) + at[d];
        }
        return flat;
    }

    private static IllegalArgumentException unbound(Var v) {
        return new IllegalArgumentException("variable " + v.name() + " has no value here; a size variable must be "
                + "passed in sizeVars (by the Var object used in the DAG)");
    }

    private static IllegalStateException nestedReduce(Reduce r) {
        return new IllegalStateException("a reduction may only be the whole body of a compute, found " + r);
    }

    private static IllegalStateException notInt(Expr e) {
        return new IllegalStateException("expression of type " + e.dtype() + " evaluated as an integer: " + e);
    }

    private static IllegalStateException notFloat(Expr e) {
        return new IllegalStateException("expression of type " + e.dtype() + " evaluated as a float: " + e);
    }
}
