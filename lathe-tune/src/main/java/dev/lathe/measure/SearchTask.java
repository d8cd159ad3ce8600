package dev.lathe.measure;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.TensorRead;
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
import java.util.Set;

/**
 * What is tuned: a ComputeDag on a target with a thread count, and the real arrays of inputs
 * that must not be random — the index and index-pointer arrays of a sparse weight. Task inputs
 * are matched by tensor identity; a DAG that indexes with a placeholder's values (or bounds a
 * reduction by them) and lacks its task input is refused, since timing on random indices would
 * measure the wrong computation or crash.
 */
public final class SearchTask {
    private final ComputeDag dag;
    private final Target target;
    private final int threads;
    private final Map<Tensor, NDArray> taskInputs;

    public SearchTask(ComputeDag dag, Target target, int threads, Map<Tensor, NDArray> taskInputs) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0: all cores), got " + threads);
        }
        this.dag = dag;
        this.target = target;
        this.threads = threads;
        this.taskInputs = Map.copyOf(new LinkedHashMap<>(taskInputs));
        for (Map.Entry<Tensor, NDArray> e : this.taskInputs.entrySet()) {
            Tensor t = e.getKey();
            if (!(t.op() instanceof PlaceholderOp) || !dag.ops().contains(t.op())) {
                throw new IllegalArgumentException("task input " + t.name() + " is not a placeholder of this DAG");
            }
            NDArray a = e.getValue();
            long[] want = t.shape().stream().mapToLong(x -> x instanceof dev.lathe.ir.IntImm i ? i.value() : -1).toArray();
            if (a.dtype() != t.dtype() || (Arrays.stream(want).allMatch(x -> x >= 0) && !Arrays.equals(want, a.shape()))) {
                throw new IllegalArgumentException("task input " + t.name() + " must be " + t.dtype() + t.shape()
                        + ", got " + a);
            }
        }
        for (Tensor t : dataDependentInputs(dag)) {
            if (!this.taskInputs.containsKey(t)) {
                throw new IllegalArgumentException("the DAG indexes with the values of " + t.name() + " (or bounds a "
                        + "reduction by them), but the task has no task input for " + t.name()
                        + ": give its real array, e.g. new SearchTask(dag, target, threads, Map.of(" + t.name()
                        + "Tensor, array)); measuring with random indices is never done");
            }
        }
    }

    public static SearchTask of(ComputeDag dag) {
        return new SearchTask(dag, Target.host(), 0, Map.of());
    }

    /** Placeholders whose values are used as indices or reduction bounds. */
    public static Set<Tensor> dataDependentInputs(ComputeDag dag) {
        Set<Tensor> out = new LinkedHashSet<>();
        for (Operation op : dag.ops()) {
            if (op instanceof ComputeOp c) {
                for (Expr b : c.bodies()) {
                    Exprs.forEach(b, n -> {
                        if (n instanceof TensorRead r) {
                            r.indices().forEach(i -> collectReads(i, out));
                        }
                        if (n instanceof Reduce red) {
                            for (IterVar a : red.axes()) {
                                collectReads(a.dom().min(), out);
                                collectReads(a.dom().extent(), out);
                            }
                        }
                    });
                }
            }
        }
        out.removeIf(t -> !(t.op() instanceof PlaceholderOp));
        return out;
    }

    private static void collectReads(Expr e, Set<Tensor> out) {
        Exprs.forEach(e, n -> {
            if (n instanceof TensorRead r) {
                out.add(r.tensor());
            }
        });
    }

    public ComputeDag dag() {
        return dag;
    }

    public String workloadKey() {
        return dag.workloadKey();
    }

    public Target target() {
        return target;
    }

    /** OpenMP threads for parallel loops; 0 means all cores. */
    public int threads() {
        return threads;
    }

    public Map<Tensor, NDArray> taskInputs() {
        return taskInputs;
    }

    /** The kernel's input tensors in argument order (placeholders in declaration order). */
    public List<Tensor> inputs() {
        return dag.arguments().stream().filter(t -> !dag.outputs().contains(t)).toList();
    }
}
