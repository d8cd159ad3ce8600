package dev.lathe.ops;

import dev.lathe.build.Build;
import dev.lathe.ir.Binary;
import dev.lathe.ir.Cast;
import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.reference.ReferenceEvaluator;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.PlaceholderOp;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The end-to-end check: a DAG compiled under the default schedule ({@link Build#build}) computes
 * what the {@link ReferenceEvaluator} computes.
 * <p>
 * Inputs not given are drawn from a {@link Random} with a fixed seed ({@link NDArray#random}:
 * floats in [−1, 1), integers in [−100, 100)). Inputs that the DAG reads as indices or as
 * reduction bounds (sparse {@code indices}/{@code indptr}) must be given: random ones would read
 * out of bounds, and measuring or checking sparse kernels with fake indices proves nothing.
 * <p>
 * The kernel runs twice: once into fresh zeroed outputs, once into outputs poisoned with
 * {@code 0xFF} bytes (NaN for floats, −1 or 255 for integers), so that an element the kernel never
 * writes, or an accumulator it never initializes, is caught even where the right answer is 0.
 * Size variables that appear as a dimension of an argument are bound by the module from the
 * arrays' shapes; only the others are passed by name.
 * Every output is compared with {@link Tolerance#of the dtype's tolerance}; a failure names the
 * output, the worst element, its index, both values and the seed.
 */
public final class KernelCheck {
    private final ComputeDag dag;
    private final Map<Tensor, NDArray> given = new LinkedHashMap<>();
    private final Map<Var, Long> sizes = new LinkedHashMap<>();
    private final Map<DType, Tolerance> tolerances = new EnumMap<>(DType.class);
    private long seed = 1;
    private String name = "kernel";
    private Module module;

    private KernelCheck(ComputeDag dag) {
        this.dag = dag;
    }

    public static KernelCheck of(ComputeDag dag) {
        return new KernelCheck(dag);
    }

    public static KernelCheck of(Tensor... outputs) {
        return new KernelCheck(ComputeDag.of(outputs));
    }

    /** The seed of the random inputs (default 1). */
    public KernelCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /** The kernel's name, as it appears in the generated C and in failure messages. */
    public KernelCheck name(String n) {
        this.name = n;
        return this;
    }

    /** Uses this array for a placeholder instead of random values. */
    public KernelCheck input(Tensor placeholder, NDArray values) {
        given.put(placeholder, values);
        return this;
    }

    /** Binds a size variable (needed for random inputs whose shapes mention it, or that no shape determines). */
    public KernelCheck size(Var v, long value) {
        sizes.put(v, value);
        return this;
    }

    /** Overrides the tolerance of one dtype; say in the test why the default does not fit. */
    public KernelCheck tolerance(DType t, Tolerance tol) {
        tolerances.put(t, tol);
        return this;
    }

    /** Runs an already built module of this DAG instead of building one (to call one module at several sizes). */
    public KernelCheck module(Module m) {
        this.module = m;
        return this;
    }

    /** What a check computed: inputs, the reference's outputs, the compiled kernel's outputs and the module. */
    public record Result(Map<Tensor, NDArray> inputs, Map<Tensor, NDArray> reference, Map<Tensor, NDArray> compiled,
                         Module module) {
        public NDArray reference(Tensor t) {
            return reference.get(t);
        }

        public NDArray compiled(Tensor t) {
            return compiled.get(t);
        }
    }

    /** Evaluates, builds (unless a module was given), runs and compares; fails the test on any difference. */
    public Result run() {
        Map<Tensor, NDArray> inputs = inputs();
        Map<Tensor, NDArray> reference = ReferenceEvaluator.evaluate(dag, inputs, sizes);
        Module m = module != null ? module : Build.build(dag, name);
        Map<Tensor, NDArray> zeroed = callInto(m, inputs, reference, false);
        compare(reference, zeroed, "zeroed outputs");
        compare(reference, callInto(m, inputs, reference, true), "outputs pre-filled with 0xFF bytes");
        return new Result(inputs, reference, zeroed, m);
    }

    private Map<Tensor, NDArray> inputs() {
        Set<Tensor> indexLike = indexInputs(dag);
        Random rng = new Random(seed);
        Map<Tensor, NDArray> inputs = new LinkedHashMap<>();
        for (PlaceholderOp p : dag.placeholders()) {
            Tensor t = p.output(0);
            NDArray a = given.get(t);
            if (a == null) {
                if (indexLike.contains(t)) {
                    throw new IllegalArgumentException("input " + t.name() + " is read as an index or a loop bound: "
                            + "give a real array for it with input(...), not random values");
                }
                a = NDArray.random(t.dtype(), rng, shapeOf(t, sizes));
            }
            inputs.put(t, a);
        }
        return inputs;
    }

    /** Calls the module with the inputs and fresh outputs shaped like the reference's. */
    private Map<Tensor, NDArray> callInto(Module m, Map<Tensor, NDArray> inputs, Map<Tensor, NDArray> reference,
                                          boolean poisoned) {
        Map<Tensor, NDArray> outputs = new LinkedHashMap<>();
        List<NDArray> args = new ArrayList<>();
        for (Tensor t : dag.arguments()) {
            NDArray in = inputs.get(t);
            if (in != null && !reference.containsKey(t)) {
                args.add(in);
            } else {
                NDArray out = NDArray.zeros(t.dtype(), reference.get(t).shape());
                if (poisoned) {
                    out.segment().fill((byte) 0xFF);
                }
                outputs.put(t, out);
                args.add(out);
            }
        }
        // Only size variables that no argument's shape gives are passed by name: the module must
        // bind the others from the shapes of the arrays, as a user's call would.
        Set<Var> fromShapes = new LinkedHashSet<>();
        for (Tensor t : dag.arguments()) {
            for (Expr d : t.shape()) {
                if (d instanceof Var v) {
                    fromShapes.add(v);
                }
            }
        }
        Map<String, Long> named = new LinkedHashMap<>();
        for (Var v : m.sizeVars()) {
            if (sizes.containsKey(v) && !fromShapes.contains(v)) {
                named.put(v.name(), sizes.get(v));
            }
        }
        m.call(named, args.toArray(NDArray[]::new));
        return outputs;
    }

    private void compare(Map<Tensor, NDArray> reference, Map<Tensor, NDArray> actual, String run) {
        for (Map.Entry<Tensor, NDArray> e : reference.entrySet()) {
            Tensor t = e.getKey();
            Tolerance tol = tolerances.getOrDefault(t.dtype(), Tolerance.of(t.dtype()));
            Optional<String> bad = tol.mismatch(e.getValue(), actual.get(t));
            if (bad.isPresent()) {
                fail("kernel " + name + ", output " + t.name() + " (" + t.dtype() + "), " + run
                        + ": compiled result differs from the reference evaluator: " + bad.get() + "; seed " + seed
                        + ", sizes " + sizes);
            }
        }
    }

    /** A placeholder's shape with the size variables bound. */
    static long[] shapeOf(Tensor t, Map<Var, Long> sizes) {
        long[] out = new long[t.ndim()];
        for (int d = 0; d < out.length; d++) {
            out[d] = eval(t.shape().get(d), sizes);
        }
        return out;
    }

    private static long eval(Expr e, Map<Var, Long> sizes) {
        return switch (e) {
            case IntImm i -> i.value();
            case Var v -> {
                Long x = sizes.get(v);
                if (x == null) {
                    throw new IllegalArgumentException("size variable " + v.name() + " is needed for an input's "
                            + "shape: bind it with size(...) or give the input");
                }
                yield x;
            }
            case Cast c -> eval(c.value(), sizes);
            case Binary b -> switch (b.op()) {
                case ADD -> eval(b.a(), sizes) + eval(b.b(), sizes);
                case SUB -> eval(b.a(), sizes) - eval(b.b(), sizes);
                case MUL -> eval(b.a(), sizes) * eval(b.b(), sizes);
                case FLOORDIV -> Math.floorDiv(eval(b.a(), sizes), eval(b.b(), sizes));
                default -> throw new IllegalArgumentException("unsupported shape expression " + e);
            };
            default -> throw new IllegalArgumentException("unsupported shape expression " + e);
        };
    }

    /** Placeholders read inside an index expression or a reduction bound. */
    static Set<Tensor> indexInputs(ComputeDag dag) {
        Set<Tensor> found = new LinkedHashSet<>();
        for (ComputeOp c : dag.computes()) {
            for (Expr body : c.bodies()) {
                Exprs.forEach(body, node -> {
                    switch (node) {
                        case TensorRead r -> r.indices().forEach(i -> readsIn(i, found));
                        case Reduce r -> {
                            for (IterVar a : r.axes()) {
                                readsIn(a.dom().min(), found);
                                readsIn(a.dom().extent(), found);
                            }
                        }
                        default -> {
                        }
                    }
                });
            }
        }
        return found;
    }

    private static void readsIn(Expr e, Set<Tensor> found) {
        Exprs.forEach(e, n -> {
            if (n instanceof TensorRead r && r.tensor().op() instanceof PlaceholderOp) {
                found.add(r.tensor());
            }
        });
    }
}
