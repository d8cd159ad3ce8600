package dev.lathe.reference;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Var;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;
import dev.lathe.te.PlaceholderOp;
import dev.lathe.te.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The oracle: evaluates a {@link ComputeDag} element by element, exactly as its tensor
 * expressions say, with the arithmetic a C compiler performs.
 * <ul>
 *   <li>float32 rounds to float after every operation, float64 stays in double; float16 is a
 *       storage type: values read from it are float32 values, float16 arithmetic runs in float32
 *       and rounds to half precision only when stored (a float16 reduction accumulates in float32).</li>
 *   <li>Integers wrap to their type's width after every operation; bools are 0 or 1.</li>
 *   <li>{@code floordiv}/{@code floormod} round toward −∞, {@code truncdiv}/{@code truncmod} as C's
 *       {@code /} and {@code %}. Integer division by zero throws {@link ArithmeticException}
 *       (in a compiled kernel it is undefined behaviour).</li>
 *   <li>Casts follow C: float to integer truncates toward zero (NaN and out-of-range values are
 *       undefined in C; here they follow Java's conversion), integers wrap, anything to bool
 *       tests for non-zero.</li>
 *   <li>{@code select} evaluates only the chosen branch and {@code &&}/{@code ||} short-circuit,
 *       so a guarded read may be out of bounds in the branch not taken (that is how padding is
 *       written). A read that is performed out of bounds throws {@link IndexOutOfBoundsException}.</li>
 *   <li>A reduction starts from the reducer's identity and folds in the points of its axes, in
 *       order, where its condition holds; bounds are evaluated at each point, so they may depend
 *       on outer iterators and tensor values, and an extent ≤ 0 means no points.</li>
 * </ul>
 * Slow by design: it shares no code with lowering or code generation, so that it can judge them.
 */
public final class ReferenceEvaluator {
    private ReferenceEvaluator() {
    }

    /** The arrays of the DAG's outputs, with size variables bound from the inputs' shapes. */
    public static Map<Tensor, NDArray> evaluate(ComputeDag dag, Map<Tensor, NDArray> inputs) {
        return evaluate(dag, inputs, Map.of());
    }

    /**
     * The arrays of the DAG's outputs, in the order of {@link ComputeDag#outputs()}.
     *
     * @param inputs   one array per placeholder, of its dtype and shape
     * @param sizeVars values of size variables; those not given are taken from an input's shape
     *                 where a placeholder dimension is exactly that variable
     * @throws IllegalArgumentException for a missing, extra or ill-shaped input or an unbound size variable
     */
    public static Map<Tensor, NDArray> evaluate(ComputeDag dag, Map<Tensor, NDArray> inputs, Map<Var, Long> sizeVars) {
        Map<Tensor, NDArray> all = evaluateAll(dag, inputs, sizeVars);
        Map<Tensor, NDArray> out = new LinkedHashMap<>();
        for (Tensor t : dag.outputs()) {
            out.put(t, all.get(t));
        }
        return out;
    }

    /**
     * The arrays of every tensor of the DAG, intermediates included (handy when debugging a
     * kernel stage by stage), in the order of {@link ComputeDag#ops()}. Placeholders map to the
     * given input arrays.
     */
    public static Map<Tensor, NDArray> evaluateAll(ComputeDag dag, Map<Tensor, NDArray> inputs,
                                                   Map<Var, Long> sizeVars) {
        checkInputsGiven(dag, inputs);
        Map<Var, Long> sizes = bindSizeVars(dag, inputs, sizeVars);
        Map<Tensor, NDArray> arrays = new LinkedHashMap<>();
        Interpreter in = new Interpreter(arrays);
        sizes.forEach(in::bind);
        checkInputShapes(dag, inputs, in);
        for (Operation op : dag.ops()) {
            switch (op) {
                case PlaceholderOp p -> arrays.put(p.output(0), inputs.get(p.output(0)));
                case ComputeOp c -> compute(c, in, arrays);
            }
        }
        return arrays;
    }

    /**
     * The values of all size variables of the DAG: those given, and the others read from the
     * inputs' shapes where a placeholder dimension is exactly the variable.
     *
     * @throws IllegalArgumentException naming every size variable left without a value
     */
    public static Map<Var, Long> bindSizeVars(ComputeDag dag, Map<Tensor, NDArray> inputs, Map<Var, Long> given) {
        Map<Var, Long> bound = new LinkedHashMap<>(given);
        for (PlaceholderOp p : dag.placeholders()) {
            NDArray a = inputs.get(p.output(0));
            if (a == null || a.ndim() != p.shape().size()) {
                continue; // reported by the input checks
            }
            for (int d = 0; d < a.ndim(); d++) {
                if (p.shape().get(d) instanceof Var v && !bound.containsKey(v)) {
                    bound.put(v, a.dim(d));
                }
            }
        }
        List<Var> missing = freeVars(dag).stream().filter(v -> !bound.containsKey(v)).toList();
        if (!missing.isEmpty()) {
            StringBuilder msg = new StringBuilder("size variable(s) ")
                    .append(missing.stream().map(Var::name).collect(Collectors.joining(", ")))
                    .append(" have no value: pass them in sizeVars or give an input whose shape has them as a dimension");
            Set<String> givenNames = given.keySet().stream().map(Var::name).collect(Collectors.toSet());
            if (missing.stream().anyMatch(v -> givenNames.contains(v.name()))) {
                msg.append(" (a different Var with the same name was given; variables are matched by identity, "
                        + "so pass the Var object the DAG was built with)");
            }
            throw new IllegalArgumentException(msg.toString());
        }
        return bound;
    }

    /** Variables the DAG needs from outside: those of shapes, and any others its bodies mention beyond their iterators. */
    private static Set<Var> freeVars(ComputeDag dag) {
        Set<Var> free = new LinkedHashSet<>(dag.sizeVars());
        for (ComputeOp c : dag.computes()) {
            Set<Var> iterators = new LinkedHashSet<>();
            for (IterVar a : ComputeDag.iterators(c)) {
                iterators.add(a.var());
            }
            for (Expr body : c.bodies()) {
                for (Var v : Exprs.vars(body)) {
                    if (!iterators.contains(v)) {
                        free.add(v);
                    }
                }
            }
        }
        return free;
    }

    /** Every placeholder has an array of its dtype and rank, and nothing else is given. */
    private static void checkInputsGiven(ComputeDag dag, Map<Tensor, NDArray> inputs) {
        List<Tensor> placeholders = dag.placeholders().stream().map(p -> p.output(0)).toList();
        for (Tensor t : inputs.keySet()) {
            if (!placeholders.contains(t)) {
                throw new IllegalArgumentException("tensor " + t.name() + " is not an input (placeholder) of this DAG; "
                        + "its inputs are " + placeholders);
            }
        }
        for (Tensor t : placeholders) {
            NDArray a = inputs.get(t);
            if (a == null) {
                throw new IllegalArgumentException("no array given for input " + t.name() + " (" + t.dtype() + ", shape "
                        + t.shape() + ")");
            }
            if (a.dtype() != t.dtype()) {
                throw new IllegalArgumentException("input " + t.name() + " must be " + t.dtype() + ", got an array of "
                        + a.dtype());
            }
            if (a.ndim() != t.ndim()) {
                throw new IllegalArgumentException("input " + t.name() + " must have rank " + t.ndim() + " (shape "
                        + t.shape() + "), got an array of shape " + Arrays.toString(a.shape()));
            }
        }
    }

    private static void checkInputShapes(ComputeDag dag, Map<Tensor, NDArray> inputs, Interpreter in) {
        for (PlaceholderOp p : dag.placeholders()) {
            Tensor t = p.output(0);
            long[] expected = shape(p, in);
            NDArray a = inputs.get(t);
            if (!Arrays.equals(a.shape(), expected)) {
                throw new IllegalArgumentException("input " + t.name() + " must have shape " + Arrays.toString(expected)
                        + " (" + t.shape() + "), got " + Arrays.toString(a.shape()));
            }
        }
    }

    private static long[] shape(Operation op, Interpreter in) {
        List<Expr> dims = op.shape();
        long[] out = new long[dims.size()];
        for (int d = 0; d < out.length; d++) {
            out[d] = in.evalInt(dims.get(d));
            if (out[d] < 0) {
                throw new IllegalArgumentException("dimension " + d + " of " + op.name() + " (" + dims.get(d)
                        + ") is negative: " + out[d] + "; check the size variables");
            }
        }
        return out;
    }

    /** Evaluates a compute over its whole domain, row-major; all outputs of a multi-value reduction together. */
    private static void compute(ComputeOp op, Interpreter in, Map<Tensor, NDArray> arrays) {
        long[] shape = shape(op, in);
        int n = op.numOutputs();
        NDArray[] outs = new NDArray[n];
        for (int v = 0; v < n; v++) {
            outs[v] = NDArray.zeros(op.dtype(v), shape);
        }
        List<IterVar> axes = op.axes();
        Optional<Reduce> reduction = op.reduction();
        long[] intAcc = new long[n];
        double[] floatAcc = new double[n];
        long[] at = new long[shape.length];
        long size = outs[0].size();
        for (long flat = 0; flat < size; flat++) {
            for (int d = 0; d < at.length; d++) {
                in.bind(axes.get(d).var(), at[d]);
            }
            if (reduction.isPresent()) {
                in.reduce(reduction.get(), intAcc, floatAcc);
            } else {
                for (int v = 0; v < n; v++) {
                    Expr body = op.body(v);
                    if (body.dtype().isFloat()) {
                        floatAcc[v] = in.evalFloat(body);
                    } else {
                        intAcc[v] = in.evalInt(body);
                    }
                }
            }
            for (int v = 0; v < n; v++) {
                DType t = op.dtype(v);
                if (t.isFloat()) {
                    outs[v].setDouble(flat, floatAcc[v]);
                } else {
                    outs[v].setLong(flat, intAcc[v]);
                }
            }
            next(at, shape);
        }
        for (IterVar a : axes) {
            in.unbind(a.var());
        }
        for (int v = 0; v < n; v++) {
            arrays.put(op.output(v), outs[v]);
        }
    }

    /** Advances a row-major multi-index by one. */
    private static void next(long[] at, long[] shape) {
        for (int d = at.length - 1; d >= 0; d--) {
            if (++at[d] < shape[d]) {
                return;
            }
            at[d] = 0;
        }
    }
}
