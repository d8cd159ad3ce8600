package dev.lathe.ops;

import dev.lathe.ir.Binary;
import dev.lathe.ir.Call;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.FloatImm;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Select;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Unary;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;
import dev.lathe.te.PlaceholderOp;
import dev.lathe.te.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately tiny interpreter of compute declarations, for these tests only: it lets every op
 * be checked against {@link NaiveOps} before the project's reference evaluator exists, and it
 * fails on any read outside a tensor's bounds. Every value is a double (exact for the integers
 * used here), rounded to float32 where the IR's type says so. Replace its uses with the reference
 * evaluator once that lands.
 */
final class MiniEval {
    private final Map<Tensor, double[]> values = new HashMap<>();
    private final Map<Tensor, long[]> shapes = new HashMap<>();
    private final Map<Var, Double> sizes = new HashMap<>();

    private MiniEval() {
    }

    /** Evaluates every op of the DAG; {@code inputs} holds each placeholder's flat row-major data. */
    static MiniEval run(ComputeDag dag, Map<Tensor, double[]> inputs, Map<Var, Long> sizeVars) {
        MiniEval ev = new MiniEval();
        sizeVars.forEach((v, n) -> ev.sizes.put(v, n.doubleValue()));
        for (Operation op : dag.ops()) {
            long[] shape = op.shape().stream().mapToLong(d -> (long) ev.eval(d, ev.sizes)).toArray();
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            switch (op) {
                case PlaceholderOp p -> {
                    double[] data = inputs.get(p.output(0));
                    if (data == null || data.length != n) {
                        throw new IllegalArgumentException("input " + p.name() + " needs " + n + " values");
                    }
                    ev.shapes.put(p.output(0), shape);
                    ev.values.put(p.output(0), data);
                }
                case ComputeOp c -> ev.compute(c, shape, n);
            }
        }
        return ev;
    }

    static MiniEval run(ComputeDag dag, Map<Tensor, double[]> inputs) {
        return run(dag, inputs, Map.of());
    }

    double[] get(Tensor t) {
        return values.get(t);
    }

    float[] getFloat(Tensor t) {
        double[] d = values.get(t);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    long[] shape(Tensor t) {
        return shapes.get(t);
    }

    static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static double[] doubles(int[] f) {
        return Arrays.stream(f).asDoubleStream().toArray();
    }

    private void compute(ComputeOp c, long[] shape, int n) {
        double[][] outs = new double[c.numOutputs()][n];
        Map<Var, Double> env = new HashMap<>(sizes);
        for (int flat = 0; flat < n; flat++) {
            long rest = flat;
            for (int d = shape.length - 1; d >= 0; d--) {
                env.put(c.axes().get(d).var(), (double) (rest % shape[d]));
                rest /= shape[d];
            }
            if (c.reduction().isPresent()) {
                double[] r = reduce(c.reduction().get(), env);
                for (int v = 0; v < outs.length; v++) {
                    outs[v][flat] = r[v];
                }
            } else {
                outs[0][flat] = eval(c.body(0), env);
            }
        }
        for (int v = 0; v < outs.length; v++) {
            shapes.put(c.output(v), shape);
            values.put(c.output(v), outs[v]);
        }
    }

    private double[] reduce(Reduce r, Map<Var, Double> env) {
        double[] acc = r.reducer().identity().stream().mapToDouble(e -> eval(e, env)).toArray();
        loop(r, 0, new HashMap<>(env), acc);
        return acc;
    }

    private void loop(Reduce r, int axis, Map<Var, Double> env, double[] acc) {
        if (axis == r.axes().size()) {
            if (eval(r.condition(), env) == 0) {
                return;
            }
            Map<Var, Double> combine = new HashMap<>();
            for (int v = 0; v < acc.length; v++) {
                combine.put(r.reducer().lhs().get(v), acc[v]);
                combine.put(r.reducer().rhs().get(v), eval(r.sources().get(v), env));
            }
            double[] next = r.reducer().combiner().stream().mapToDouble(e -> eval(e, combine)).toArray();
            System.arraycopy(next, 0, acc, 0, acc.length);
            return;
        }
        IterVar a = r.axes().get(axis);
        long min = (long) eval(a.dom().min(), env);
        long extent = (long) eval(a.dom().extent(), env);
        for (long i = min; i < min + extent; i++) {
            env.put(a.var(), (double) i);
            loop(r, axis + 1, env, acc);
        }
    }

    private double eval(Expr e, Map<Var, Double> env) {
        return switch (e) {
            case IntImm i -> i.value();
            case FloatImm f -> f.value();
            case Var v -> {
                Double x = env.get(v);
                if (x == null) {
                    throw new IllegalStateException("unbound variable " + v.name());
                }
                yield x;
            }
            case Binary b -> fit(binary(b, eval(b.a(), env), eval(b.b(), env)), b.dtype());
            case Unary u -> u.op() == dev.lathe.ir.UnaryOp.NEG ? -eval(u.value(), env) : (eval(u.value(), env) == 0 ? 1 : 0);
            case Call c -> fit(call(c, c.args().stream().mapToDouble(a -> eval(a, env)).toArray()), c.dtype());
            case Cast c -> fit(eval(c.value(), env), c.dtype());
            case Select s -> eval(s.cond(), env) != 0 ? eval(s.then(), env) : eval(s.otherwise(), env);
            case TensorRead r -> read(r, env);
            case Reduce r -> throw new IllegalStateException("nested reduction " + r);
        };
    }

    private double read(TensorRead r, Map<Var, Double> env) {
        long[] shape = shapes.get(r.tensor());
        if (shape == null) {
            throw new IllegalStateException("read of " + r.tensor().name() + " before it was computed");
        }
        long flat = 0;
        for (int d = 0; d < shape.length; d++) {
            long i = (long) eval(r.indices().get(d), env);
            if (i < 0 || i >= shape[d]) {
                throw new AssertionError("out-of-bounds read " + r + ": index " + i + " in dimension " + d + " of "
                        + r.tensor().name() + Arrays.toString(shape));
            }
            flat = flat * shape[d] + i;
        }
        return values.get(r.tensor())[(int) flat];
    }

    private static double binary(Binary b, double x, double y) {
        return switch (b.op()) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case FLOORDIV -> Math.floorDiv((long) x, (long) y);
            case FLOORMOD -> Math.floorMod((long) x, (long) y);
            case TRUNCDIV -> (long) x / (long) y;
            case TRUNCMOD -> (long) x % (long) y;
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case AND -> x != 0 && y != 0 ? 1 : 0;
            case OR -> x != 0 || y != 0 ? 1 : 0;
        };
    }

    private static double call(Call c, double[] a) {
        return switch (c.fn()) {
            case EXP -> Math.exp(a[0]);
            case LOG -> Math.log(a[0]);
            case SQRT -> Math.sqrt(a[0]);
            case RSQRT -> 1 / Math.sqrt(a[0]);
            case TANH -> Math.tanh(a[0]);
            case SIGMOID -> 1 / (1 + Math.exp(-a[0]));
            case POW -> Math.pow(a[0], a[1]);
            case ABS -> Math.abs(a[0]);
            case ERF -> erf(a[0]);
            case FLOOR -> Math.floor(a[0]);
            case CEIL -> Math.ceil(a[0]);
            case ROUND -> Math.rint(a[0]);
        };
    }

    /** Abramowitz–Stegun 7.1.26 (error below 1.5e-7): enough for float32 comparisons. */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return Math.copySign(y, x);
    }

    private static double fit(double v, DType t) {
        return switch (t) {
            case FLOAT32, FLOAT16 -> (float) v;
            case FLOAT64 -> v;
            case BOOL -> v != 0 ? 1 : 0;
            default -> Double.isNaN(v) ? 0 : t.wrap((long) v);
        };
    }
}
