package dev.lathe.autoschedule;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterKind;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.TensorRead;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.ComputeOp;
import dev.lathe.te.Operation;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the sketch rules need to know about each operation of a ComputeDag (Ansor's
 * {@code ComputeDAG} analysis): which ops to inline, which to tile, which reduce, which fuse.
 */
public record DagAnalysis(ComputeDag dag, List<OpInfo> ops) {

    /** Space extents at or below this product make an op degenerate. */
    public static final long TINY = 4;

    /**
     * The analysis of one operation.
     *
     * @param strictInlinable  elementwise (no reduction), not an output, single-valued, reads no tensor with data-dependent
     *                         indices, and not read by a data-dependent consumer
     * @param needsMultiLevelTiling  a reduction whose inputs are reused across some space axis (matmul, conv)
     * @param hasReduction     the body is a reduction
     * @param fusibleConsumer  the name of the elementwise consumer (following inlinable ops) its tiles can be fused into
     * @param dataDependent    some extent, bound or index is read from tensor data
     * @param degenerate       no space iterators, or a tiny space
     */
    public record OpInfo(String name, boolean isPlaceholder, boolean strictInlinable, boolean needsMultiLevelTiling,
                         boolean hasReduction, Optional<String> fusibleConsumer, boolean dataDependent,
                         boolean degenerate, long spaceSize, long reduceSize) {
    }

    public static DagAnalysis of(ComputeDag dag) {
        Map<Operation, List<Operation>> consumers = dag.consumers();
        Set<Operation> outputs = new HashSet<>();
        dag.outputs().forEach(t -> outputs.add(t.op()));
        List<OpInfo> infos = new ArrayList<>();
        for (Operation op : dag.ops()) {
            if (!(op instanceof ComputeOp c)) {
                infos.add(new OpInfo(op.name(), true, false, false, false, Optional.empty(), false, false, 0, 0));
                continue;
            }
            boolean reduction = c.reduction().isPresent();
            boolean dataDependent = dataDependent(c);
            long space = product(c.axes());
            long reduce = product(c.reduceAxes());
            // A stage gathered by a data-dependent consumer (a sparse convolution's padded input) is
            // computed once rather than inlined into every multiply-add of the sparse loop.
            boolean gathered = consumers.getOrDefault(op, List.of()).stream()
                    .anyMatch(r -> r instanceof ComputeOp rc && dataDependent(rc));
            boolean inlinable = !reduction && !outputs.contains(op) && c.numOutputs() == 1 && !dataDependent
                    && !gathered;
            boolean tiling = reduction && !dataDependent && space > TINY && hasReuse(c);
            Optional<String> fusible = tiling && !outputs.contains(op) ? elementwiseConsumer(c, consumers, outputs)
                    : Optional.empty();
            boolean degenerate = c.axes().isEmpty() || (space >= 0 && space <= TINY);
            infos.add(new OpInfo(op.name(), false, inlinable, tiling, reduction, fusible, dataDependent, degenerate,
                    space, reduce));
        }
        return new DagAnalysis(dag, List.copyOf(infos));
    }

    /** The analysis of the operation named {@code name} (a stage's name; cache stages map to their op). */
    public Optional<OpInfo> op(String name) {
        return ops.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** The product of static extents, or -1 when one is symbolic or data-dependent. */
    static long product(List<IterVar> axes) {
        long p = 1;
        for (IterVar a : axes) {
            if (!(a.dom().extent() instanceof IntImm e)) {
                return -1;
            }
            p *= e.value();
        }
        return p;
    }

    static boolean dataDependent(ComputeOp c) {
        if (!dataBoundVars(c).isEmpty()) {
            return true;
        }
        boolean[] found = {false};
        for (Expr b : c.bodies()) {
            Exprs.forEach(b, n -> {
                if (n instanceof TensorRead r) {
                    r.indices().forEach(i -> found[0] |= readsTensor(i));
                }
            });
        }
        return found[0];
    }

    /**
     * True if {@code consumer} reads {@code producer} at an index that depends on tensor data (a
     * sparse structure's column index, a gather's index) or on a loop whose bounds do. Bound
     * inference then needs all of the producer at every iteration of every loop of the consumer, so
     * computing the producer at such a loop recomputes the whole of it per iteration: programs
     * thousands of times slower than with the producer at root.
     */
    static boolean readsAtDataDependentIndex(ComputeOp consumer, Operation producer) {
        Set<Var> dataBound = dataBoundVars(consumer);
        boolean[] found = {false};
        for (Expr b : consumer.bodies()) {
            Exprs.forEach(b, n -> {
                if (n instanceof TensorRead r && r.tensor().op() == producer) {
                    for (Expr i : r.indices()) {
                        found[0] |= readsTensor(i) || Exprs.vars(i).stream().anyMatch(dataBound::contains);
                    }
                }
            });
        }
        return found[0];
    }

    /** The iterators of {@code c} whose bounds are read from tensor data. */
    private static Set<Var> dataBoundVars(ComputeOp c) {
        Set<Var> out = new HashSet<>();
        for (IterVar a : ComputeDag.iterators(c)) {
            if (readsTensor(a.dom().min()) || readsTensor(a.dom().extent())) {
                out.add(a.var());
            }
        }
        return out;
    }

    private static boolean readsTensor(Expr e) {
        boolean[] found = {false};
        Exprs.forEach(e, n -> found[0] |= n instanceof TensorRead);
        return found[0];
    }

    /** True if some read misses a space axis, so one loaded value serves several outputs. */
    private static boolean hasReuse(ComputeOp c) {
        boolean[] reuse = {false};
        for (Expr b : c.bodies()) {
            Exprs.forEach(b, n -> {
                if (n instanceof TensorRead r) {
                    Set<Var> used = new HashSet<>();
                    r.indices().forEach(i -> used.addAll(Exprs.vars(i)));
                    for (IterVar a : c.axes()) {
                        if (a.kind() == IterKind.SPACE && !used.contains(a.var())) {
                            reuse[0] = true;
                        }
                    }
                }
            });
        }
        return reuse[0];
    }

    /**
     * The consumer an op's tiles fuse into: its only consumer, followed through strictly inlinable
     * ops, that is elementwise over the same space and reads the op at exactly its own axes.
     */
    private static Optional<String> elementwiseConsumer(ComputeOp producer, Map<Operation, List<Operation>> consumers,
                                                        Set<Operation> outputs) {
        Operation cur = producer;
        Tensor read = producer.output(0);
        while (true) {
            List<Operation> cs = consumers.getOrDefault(cur, List.of());
            if (cs.size() != 1 || !(cs.getFirst() instanceof ComputeOp c) || c.reduction().isPresent()
                    || !c.shape().equals(producer.shape()) || !readsAtOwnAxes(c, read)) {
                return Optional.empty();
            }
            boolean inlinable = !outputs.contains(c) && c.numOutputs() == 1 && !dataDependent(c);
            if (!inlinable) {
                return Optional.of(c.name());
            }
            cur = c;
            read = c.output(0);
        }
    }

    /** True if every read of {@code t} in {@code c} is at {@code c}'s own axes (0 counts for an axis of extent 1). */
    private static boolean readsAtOwnAxes(ComputeOp c, Tensor t) {
        List<IterVar> own = c.axes();
        boolean[] ok = {true};
        for (Expr b : c.bodies()) {
            Exprs.forEach(b, n -> {
                if (n instanceof TensorRead r && r.tensor().equals(t) && !atAxes(r.indices(), own)) {
                    ok[0] = false;
                }
            });
        }
        return ok[0];
    }

    private static boolean atAxes(List<Expr> indices, List<IterVar> axes) {
        if (indices.size() != axes.size()) {
            return false;
        }
        for (int d = 0; d < axes.size(); d++) {
            Expr ix = indices.get(d);
            boolean unitAxisAtZero = ix instanceof IntImm z && z.value() == 0
                    && axes.get(d).dom().extent() instanceof IntImm e && e.value() == 1;
            if (!ix.equals(axes.get(d).var()) && !unitAxisAtZero) {
                return false;
            }
        }
        return true;
    }
}
