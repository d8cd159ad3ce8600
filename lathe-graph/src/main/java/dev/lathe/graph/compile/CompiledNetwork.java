package dev.lathe.graph.compile;

import dev.lathe.arith.Simplifier;
import dev.lathe.graph.Dim;
import dev.lathe.graph.MemoryPlan;
import dev.lathe.graph.TensorType;
import dev.lathe.graph.Value;
import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.Var;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network compiled to one kernel per fused group, ready to run: the kernels in order, the
 * constants they read, the type of every value they write, and a memory plan that lets
 * intermediate values share buffers. Symbolic dimensions are bound from the inputs of each call
 * (one memory plan, and one set of intermediate buffers reused from run to run, per distinct
 * input shapes).
 */
public final class CompiledNetwork {
    private final String name;
    private final List<Value> inputs;
    private final List<String> outputs;
    private final Map<String, NDArray> constants;
    private final List<Step> steps;
    private final Map<String, TensorType> types;
    private final Map<String, Binding> bindings = new ConcurrentHashMap<>();

    /**
     * What one binding of the size variables fixes: the literal shape of every written value, the
     * memory plan, the size variables each step's kernel takes (by name, for kernels whose
     * parameters give them only through expressions like {@code N * 2}), the steps with an empty
     * output (skipped), and a spare set of intermediate buffers kept from the last run.
     */
    private record Binding(Map<String, long[]> shapes, MemoryPlan memory, List<Map<String, Long>> stepSizes,
                           boolean[] skip, long unsharedBytes, AtomicReference<Frame> spare) {
    }

    /** Bytes of intermediate values for some input shapes: as planned (shared buffers) and if each had its own. */
    public record MemoryUse(long plannedBytes, long unsharedBytes) {
    }

    public CompiledNetwork(String name, List<Value> inputs, List<String> outputs, Map<String, NDArray> constants,
                           List<Step> steps, Map<String, TensorType> types) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.constants = Map.copyOf(constants);
        this.steps = List.copyOf(steps);
        this.types = Map.copyOf(types);
        Set<String> known = new HashSet<>(this.constants.keySet());
        this.inputs.forEach(v -> known.add(v.name()));
        for (Step s : this.steps) {
            for (String r : s.reads()) {
                if (!known.contains(r)) {
                    throw new IllegalArgumentException("network " + name + ": step " + s.name() + " reads '" + r
                            + "' before any step writes it");
                }
            }
            known.addAll(s.writes());
        }
        for (String o : this.outputs) {
            if (!known.contains(o)) {
                throw new IllegalArgumentException("network " + name + ": output '" + o + "' is never written");
            }
        }
    }

    public String name() {
        return name;
    }

    public List<Value> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** The kernel calls, in order. */
    public List<Step> steps() {
        return steps;
    }

    Map<String, NDArray> constants() {
        return constants;
    }

    Map<String, TensorType> types() {
        return types;
    }

    /**
     * Runs the network; returns the outputs by name, fresh arrays the caller owns (a later run
     * never writes them). Intermediate buffers are allocated once per input shape and reused by
     * later runs of that shape; two runs at once never share them (the second allocates its own).
     */
    public Map<String, NDArray> run(Map<String, NDArray> in) {
        Binding b = binding(in);
        Frame frame = b.spare().getAndSet(null);
        if (frame == null) {
            frame = frame(b);
        }
        Map<String, NDArray> written = new HashMap<>();
        for (int st = 0; st < steps.size(); st++) {
            if (frame.bound()[st] != null) {
                frame.bound()[st].call();
                continue;
            }
            Step s = steps.get(st);
            NDArray[] args = new NDArray[s.arguments().size()];
            for (int i = 0; i < args.length; i++) {
                String v = s.arguments().get(i);
                NDArray a = frame.values().get(v);
                if (a == null && s.isOutput().get(i)) {
                    a = NDArray.zeros(types.get(v).dtype(), b.shapes().get(v));
                    written.put(v, a);
                } else if (a == null) {
                    a = written.containsKey(v) ? written.get(v) : in.containsKey(v) ? in.get(v) : constants.get(v);
                }
                args[i] = a;
            }
            if (!b.skip()[st]) {
                s.kernel().call(b.stepSizes().get(st), args);
            }
        }
        b.spare().set(frame);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String o : outputs) {
            NDArray a = written.get(o);
            // Inputs and constants handed straight through are copied: callers own what they get back.
            out.put(o, a != null ? a : (in.containsKey(o) ? in.get(o) : constants.get(o)).copy());
        }
        return out;
    }

    /**
     * The buffers of one run: each intermediate value laid over its slot, and each step that reads
     * and writes only those and constants bound once ({@link Module#bind}) — such a step is then
     * called with no per-run checks or allocation.
     */
    private record Frame(Map<String, NDArray> values, Module.BoundCall[] bound) {
    }

    private Frame frame(Binding b) {
        List<NDArray> slots = b.memory().allocate();
        Map<String, NDArray> values = new HashMap<>();
        b.memory().slotOf().forEach((v, slot) ->
                values.put(v, MemoryPlan.view(slots.get(slot), types.get(v).dtype(), b.shapes().get(v))));
        Module.BoundCall[] bound = new Module.BoundCall[steps.size()];
        for (int st = 0; st < steps.size(); st++) {
            Step s = steps.get(st);
            NDArray[] args = s.arguments().stream()
                    .map(v -> values.containsKey(v) ? values.get(v) : constants.get(v)).toArray(NDArray[]::new);
            if (!b.skip()[st] && Arrays.stream(args).allMatch(Objects::nonNull) && sizesFromShapes(s.kernel())) {
                bound[st] = s.kernel().bind(args);
            }
        }
        return new Frame(values, bound);
    }

    /** Whether every size variable of a kernel is some parameter's dimension ({@link Module#bind} binds only those). */
    private static boolean sizesFromShapes(Module m) {
        Set<Var> direct = new HashSet<>();
        m.params().forEach(p -> p.shape().forEach(e -> {
            if (e instanceof Var v) {
                direct.add(v);
            }
        }));
        return direct.containsAll(m.sizeVars());
    }

    /** Writes the network into {@code dir} (see {@link NetworkExport}). */
    public void export(Path dir) {
        NetworkExport.write(this, dir);
    }

    /** Loads a network written by {@link #export}: no C compiler, no tuning. */
    public static CompiledNetwork load(Path dir) {
        return NetworkExport.read(dir);
    }

    private void bind(Value v, NDArray a, Map<Var, Long> sizes) {
        TensorType t = v.type();
        if (a.dtype() != t.dtype() || a.ndim() != t.rank()) {
            throw new IllegalArgumentException("input '" + v.name() + "' must be " + t + ", got " + a.dtype().label()
                    + Arrays.toString(a.shape()));
        }
        for (int d = 0; d < a.ndim(); d++) {
            Expr e = t.shape().get(d).extent();
            if (e instanceof Var var) {
                Long before = sizes.putIfAbsent(var, a.dim(d));
                if (before != null && before != a.dim(d)) {
                    throw new IllegalArgumentException("input '" + v.name() + "' dimension " + d + " is " + a.dim(d)
                            + " but " + var.name() + " = " + before + " from another input");
                }
            } else if (e instanceof IntImm(long n, var unused) && n != a.dim(d)) {
                throw new IllegalArgumentException("input '" + v.name() + "' must be " + t + ", got "
                        + a.dtype().label() + Arrays.toString(a.shape()) + " (dimension " + d + ")");
            }
        }
    }

    private Binding plan(Map<Var, Long> sizes) {
        Map<Var, Expr> values = new HashMap<>();
        Map<String, Long> byName = new HashMap<>();
        sizes.forEach((v, n) -> {
            values.put(v, IntImm.of(n));
            byName.put(v.name(), n);
        });
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        List<Map<String, Long>> stepSizes = new ArrayList<>();
        boolean[] skip = new boolean[steps.size()];
        for (int st = 0; st < steps.size(); st++) {
            Step s = steps.get(st);
            for (String w : s.writes()) {
                TensorType t = types.get(w);
                long[] shape = new long[t.rank()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = literal(w, t.shape().get(d), values);
                }
                shapes.put(w, shape);
                long elements = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
                skip[st] |= elements == 0;
                bytes.put(w, Math.max(1, elements) * t.dtype().bytes());
            }
            Map<String, Long> kernelSizes = new HashMap<>();
            s.kernel().sizeVars().stream().filter(v -> byName.containsKey(v.name()))
                    .forEach(v -> kernelSizes.put(v.name(), byName.get(v.name())));
            stepSizes.add(Map.copyOf(kernelSizes));
        }
        Set<String> pinned = new HashSet<>(outputs);
        MemoryPlan plan = MemoryPlan.of(steps.stream().map(Step::reads).toList(),
                steps.stream().map(Step::writes).toList(), bytes, pinned);
        long unshared = bytes.entrySet().stream().filter(e -> !pinned.contains(e.getKey())).mapToLong(Map.Entry::getValue)
                .sum();
        return new Binding(Map.copyOf(shapes), plan, List.copyOf(stepSizes), skip, unshared, new AtomicReference<>());
    }

    private long literal(String value, Dim d, Map<Var, Expr> values) {
        Expr e = Simplifier.simplify(Exprs.substitute(d.extent(), values));
        if (e instanceof IntImm(long n, var unused)) {
            return n;
        }
        throw new IllegalArgumentException("network " + name + ": the shape of '" + value + "' (" + d
                + ") depends on size variables no input shape gives");
    }

    /** Bytes of intermediate buffers for these input shapes (graph outputs not counted). */
    public long intermediateBytes(Map<String, NDArray> in) {
        return binding(in).memory().totalBytes();
    }

    /** The intermediate memory for these input shapes, planned and as it would be without sharing. */
    public MemoryUse memoryUse(Map<String, NDArray> in) {
        Binding b = binding(in);
        return new MemoryUse(b.memory().totalBytes(), b.unsharedBytes());
    }

    /** The inputs checked, the size variables bound from their shapes, and the binding's plan (cached per shapes). */
    private Binding binding(Map<String, NDArray> in) {
        Map<Var, Long> sizes = new HashMap<>();
        StringBuilder key = new StringBuilder();
        for (Value v : inputs) {
            NDArray a = in.get(v.name());
            if (a == null) {
                throw new IllegalArgumentException("network " + name + ": missing input '" + v.name() + "' (" + v.type()
                        + ")");
            }
            bind(v, a, sizes);
            key.append(Arrays.toString(a.shape()));
        }
        return bindings.computeIfAbsent(key.toString(), k -> plan(sizes));
    }
}
