package dev.lathe.te;

import dev.lathe.ir.Expr;
import dev.lathe.ir.Exprs;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Printer;
import dev.lathe.ir.Reduce;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.Var;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operations reachable from a set of output tensors, in topological order (producers before
 * consumers). Printing gives one line per operation; {@link #workloadKey()} is a stable hash of
 * the structure with every name normalized away.
 */
public final class ComputeDag {
    private final List<Tensor> outputs;
    private final List<Operation> ops;
    private String workloadKey;

    private ComputeDag(List<Tensor> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a ComputeDag needs at least one output tensor");
        }
        this.outputs = List.copyOf(outputs);
        List<Operation> order = new ArrayList<>();
        Set<Operation> done = new HashSet<>();
        for (Tensor t : outputs) {
            visit(t.op(), done, new HashSet<>(), order);
        }
        this.ops = List.copyOf(order);
        // Schedules, records and generated code address stages by name: two stages of one name would
        // make a step apply to the wrong one.
        Set<String> names = new HashSet<>();
        for (Operation op : ops) {
            if (!names.add(op.name())) {
                throw new IllegalArgumentException("two operations of this DAG are named '" + op.name()
                        + "': give every placeholder and compute a distinct name");
            }
        }
    }

    public static ComputeDag of(Tensor... outputs) {
        return new ComputeDag(List.of(outputs));
    }

    public static ComputeDag of(List<Tensor> outputs) {
        return new ComputeDag(outputs);
    }

    private static void visit(Operation op, Set<Operation> done, Set<Operation> onPath, List<Operation> order) {
        if (done.contains(op)) {
            return;
        }
        if (!onPath.add(op)) {
            throw new IllegalStateException("cycle through operation " + op.name());
        }
        for (Tensor in : op.inputs()) {
            visit(in.op(), done, onPath, order);
        }
        onPath.remove(op);
        done.add(op);
        order.add(op);
    }

    /** All operations, producers before consumers. */
    public List<Operation> ops() {
        return ops;
    }

    public List<Tensor> outputs() {
        return outputs;
    }

    public List<PlaceholderOp> placeholders() {
        return ops.stream().filter(o -> o instanceof PlaceholderOp).map(o -> (PlaceholderOp) o).toList();
    }

    public List<ComputeOp> computes() {
        return ops.stream().filter(o -> o instanceof ComputeOp).map(o -> (ComputeOp) o).toList();
    }

    /**
     * The tensors a kernel takes as arguments, in order: the placeholders in the order they were
     * declared, then the outputs. Intermediate tensors are allocated inside the kernel.
     */
    public List<Tensor> arguments() {
        List<Tensor> args = new ArrayList<>();
        List<PlaceholderOp> inputs = new ArrayList<>(placeholders());
        inputs.sort(java.util.Comparator.comparingLong(PlaceholderOp::sequence));
        for (PlaceholderOp p : inputs) {
            args.add(p.output(0));
        }
        for (Tensor t : outputs) {
            if (!args.contains(t)) {
                args.add(t);
            }
        }
        return args;
    }

    /** The size variables of all shapes, in order of first appearance. */
    public List<Var> sizeVars() {
        Set<Var> vars = new LinkedHashSet<>();
        for (Operation op : ops) {
            for (Expr d : op.shape()) {
                vars.addAll(Exprs.vars(d));
            }
        }
        return List.copyOf(vars);
    }

    /** The consumers of each operation within this DAG. */
    public Map<Operation, List<Operation>> consumers() {
        Map<Operation, List<Operation>> out = new HashMap<>();
        for (Operation op : ops) {
            out.putIfAbsent(op, new ArrayList<>());
            for (Tensor in : op.inputs()) {
                out.computeIfAbsent(in.op(), k -> new ArrayList<>()).add(op);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return text(Printer.Naming.PLAIN);
    }

    /** The printed DAG with all names normalized: equal for equal structures, whatever the names. */
    public String canonicalText() {
        return text(new NormalizedNaming(this));
    }

    /** A stable SHA-256 of {@link #canonicalText()}: identical across runs and for equal DAGs built separately. */
    public String workloadKey() {
        if (workloadKey == null) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(canonicalText().getBytes(StandardCharsets.UTF_8));
                workloadKey = HexFormat.of().formatHex(h);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return workloadKey;
    }

    private String text(Printer.Naming names) {
        StringBuilder sb = new StringBuilder();
        Set<Reducer> printed = new HashSet<>();
        for (Operation op : ops) {
            switch (op) {
                case PlaceholderOp p -> sb.append(names.tensor(p.output(0))).append(" = placeholder(")
                        .append(p.dtype(0)).append(", [").append(exprs(p.shape(), names)).append("])\n");
                case ComputeOp c -> {
                    for (Reduce r : c.reduction().stream().toList()) {
                        if (!r.reducer().isBuiltin() && printed.add(r.reducer())) {
                            sb.append("reducer ").append(Printer.reducer(r.reducer(), names)).append('\n');
                        }
                    }
                    String idx = c.axes().stream().map(a -> names.var(a.var())).collect(Collectors.joining(", "));
                    String dom = c.axes().stream().map(a -> names.var(a.var()) + " < " + Printer.expr(a.dom().extent(), names))
                            .collect(Collectors.joining(", "));
                    for (int v = 0; v < c.numOutputs(); v++) {
                        Tensor t = c.output(v);
                        sb.append(names.tensor(t)).append('[').append(idx).append("] : ").append(t.dtype())
                                .append(" = ").append(Printer.expr(c.body(v), names));
                        if (!dom.isEmpty()) {
                            sb.append("    for ").append(dom);
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        sb.append("outputs: ").append(outputs.stream().map(names::tensor).collect(Collectors.joining(", ")));
        return sb.toString();
    }

    private static String exprs(List<Expr> es, Printer.Naming names) {
        return es.stream().map(e -> Printer.expr(e, names)).collect(Collectors.joining(", "));
    }

    /** Names tensors t0.., variables v0.. and custom reducers r0.. by order of first appearance in the DAG. */
    private static final class NormalizedNaming implements Printer.Naming {
        private final Map<Tensor, String> tensors = new HashMap<>();
        private final Map<Var, String> vars = new HashMap<>();
        private final Map<Reducer, String> reducers = new HashMap<>();

        NormalizedNaming(ComputeDag dag) {
            for (Operation op : dag.ops) {
                for (int v = 0; v < op.numOutputs(); v++) {
                    tensors.put(op.output(v), "t" + tensors.size());
                }
            }
            for (Var v : dag.sizeVars()) {
                vars.put(v, "n" + vars.size());
            }
        }

        @Override
        public String var(Var v) {
            return vars.computeIfAbsent(v, k -> "v" + vars.size());
        }

        @Override
        public String tensor(Tensor t) {
            return tensors.getOrDefault(t, "?" + t.name());
        }

        @Override
        public String reducer(Reducer r) {
            return r.isBuiltin() ? r.name() : reducers.computeIfAbsent(r, k -> "r" + reducers.size());
        }
    }

    /** Every iterator of every compute (space axes, then reduce axes). */
    public static List<IterVar> iterators(ComputeOp op) {
        List<IterVar> all = new ArrayList<>(op.axes());
        all.addAll(op.reduceAxes());
        return all;
    }
}
