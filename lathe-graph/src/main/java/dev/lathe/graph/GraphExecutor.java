package dev.lathe.graph;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.build.Build;
import dev.lathe.measure.Target;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.schedule.State;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a graph with one compiled kernel per node. The graph is specialized to the shapes of the
 * inputs of each call (and to the values of inputs that give shapes, axes or slice bounds), typed
 * again with every dimension literal, and compiled once per such signature: nodes that fold to
 * constants are evaluated at compile time, the others compiled under the given scheduler.
 */
public final class GraphExecutor {
    private final Graph graph;
    private final Function<ComputeDag, State> scheduler;
    private final Set<String> valueInputs;
    private final Map<String, Plan> plans = new HashMap<>();

    /** A specialization: kernels in order, constants, types, memory plan. */
    public record Plan(List<CompiledNode> steps, Map<String, Constant> constants, Map<String, TensorType> types,
                       MemoryPlan memory) {
    }

    private GraphExecutor(Graph graph, Function<ComputeDag, State> scheduler) {
        this.graph = graph;
        this.scheduler = scheduler;
        this.valueInputs = new HashSet<>();
        Set<String> inputNames = new HashSet<>();
        graph.inputs().forEach(v -> inputNames.add(v.name()));
        for (Node n : graph.nodes()) {
            for (int i : OpTable.of(n).valueInputs()) {
                if (inputNames.contains(n.input(i))) {
                    valueInputs.add(n.input(i));
                }
            }
        }
    }

    /** An executor compiling each node under {@code scheduler} (e.g. the auto-scheduler's static mode). */
    public static GraphExecutor of(Graph graph, Function<ComputeDag, State> scheduler) {
        return new GraphExecutor(graph, scheduler);
    }

    /** An executor compiling each node under the auto-scheduler's static mode for the host (no measuring). */
    public static GraphExecutor staticMode(Graph graph) {
        Target host = Target.host();
        return of(graph, dag -> AutoScheduler.schedule(dag, host));
    }

    /** An executor compiling each node under its default (unscheduled) loop nest. */
    public static GraphExecutor of(Graph graph) {
        return of(graph, State::initial);
    }

    public Graph graph() {
        return graph;
    }

    /** Runs the graph; returns the outputs by name. */
    public Map<String, NDArray> run(Map<String, NDArray> inputs) {
        Plan plan = plan(inputs);
        Map<String, NDArray> env = new HashMap<>(inputs);
        plan.constants().forEach((n, c) -> env.put(n, c.data()));
        List<NDArray> slots = plan.memory().allocate();
        for (CompiledNode step : plan.steps()) {
            NDArray[] args = new NDArray[step.arguments().size()];
            boolean empty = false;
            for (int a = 0; a < args.length; a++) {
                String v = step.arguments().get(a);
                if (step.isOutput().get(a)) {
                    TensorType t = plan.types().get(v);
                    Integer slot = plan.memory().slotOf().get(v);
                    args[a] = slot == null ? NDArray.zeros(t.dtype(), t.staticShape())
                            : MemoryPlan.view(slots.get(slot), t.dtype(), t.staticShape());
                    env.put(v, args[a]);
                    empty |= args[a].size() == 0;
                } else {
                    args[a] = env.get(v);
                }
            }
            if (!empty) {
                step.kernel().call(args);
            }
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String o : graph.outputs()) {
            NDArray a = env.get(o);
            // Constants and inputs passed straight through are copied: callers own what they get back.
            out.put(o, inputs.containsKey(o) || plan.constants().containsKey(o) ? a.copy() : a);
        }
        return out;
    }

    /** The compiled specialization for these inputs (compiled on first use). */
    public synchronized Plan plan(Map<String, NDArray> inputs) {
        List<Value> typed = new ArrayList<>();
        Map<String, Constant> known = new LinkedHashMap<>(graph.initializers());
        StringBuilder key = new StringBuilder();
        for (Value v : graph.inputs()) {
            NDArray a = inputs.get(v.name());
            if (a == null) {
                throw new IllegalArgumentException("graph " + graph.name() + ": missing input '" + v.name() + "' ("
                        + v.type() + ")");
            }
            checkInput(v, a);
            typed.add(new Value(v.name(), TensorType.of(a.dtype(), a.shape())));
            key.append(v.name()).append(Arrays.toString(a.shape()));
            if (valueInputs.contains(v.name())) {
                Constant c = new Constant(a);
                known.put(v.name(), c);
                key.append('=').append(Arrays.toString(c.longs()));
            }
            key.append(';');
        }
        return plans.computeIfAbsent(key.toString(), k -> compile(typed, known));
    }

    private void checkInput(Value v, NDArray a) {
        TensorType t = v.type();
        if (a.dtype() != t.dtype() || a.ndim() != t.rank()) {
            throw new IllegalArgumentException("input '" + v.name() + "' must be " + t + ", got "
                    + a.dtype().label() + Arrays.toString(a.shape()));
        }
        for (int d = 0; d < a.ndim(); d++) {
            if (t.shape().get(d) instanceof Dim.Known(long n) && n != a.dim(d)) {
                throw new IllegalArgumentException("input '" + v.name() + "' must be " + t + ", got "
                        + a.dtype().label() + Arrays.toString(a.shape()) + " (dimension " + d + ")");
            }
        }
    }

    private Plan compile(List<Value> inputs, Map<String, Constant> known) {
        TypeInference.Result r = TypeInference.infer(graph.opset(), inputs, known, graph.nodes(), Map.of(),
                TypeInference.FOLD_LIMIT);
        List<CompiledNode> steps = new ArrayList<>();
        for (Node n : graph.nodes()) {
            boolean folded = n.outputs().stream().allMatch(o -> o.isEmpty() || r.constants().containsKey(o));
            if (!folded) {
                steps.add(compileNode(n, r));
            }
        }
        Set<String> pinned = new HashSet<>(graph.outputs());
        return new Plan(steps, r.constants(), r.types(), MemoryPlan.of(steps, r.types(), pinned));
    }

    private CompiledNode compileNode(Node n, TypeInference.Result r) {
        NodeLowering low = NodeLowering.of(n, graph.opset(), r.types(), r.constants());
        ComputeDag dag = ComputeDag.of(low.outputs());
        Module m = Build.build(scheduler.apply(dag), kernelName(n));
        Map<String, String> byTensor = new HashMap<>();
        for (int i = 0; i < low.inputs().size(); i++) {
            Tensor t = low.inputs().get(i);
            if (t != null) {
                byTensor.put(t.name(), n.input(i));
            }
        }
        for (int k = 0; k < low.outputs().size(); k++) {
            byTensor.put(low.outputs().get(k).name(), n.outputs().get(k));
        }
        List<String> args = new ArrayList<>();
        List<Boolean> isOut = new ArrayList<>();
        for (Module.Param p : m.params()) {
            String v = byTensor.get(p.name());
            if (v == null || v.isEmpty()) {
                throw new IllegalStateException(n.label() + ": kernel parameter " + p.name() + " is neither an input "
                        + "nor a requested output");
            }
            args.add(v);
            isOut.add(p.output());
        }
        return new CompiledNode(n, m, args, isOut);
    }

    private static String kernelName(Node n) {
        return n.opType().toLowerCase(java.util.Locale.ROOT);
    }
}
