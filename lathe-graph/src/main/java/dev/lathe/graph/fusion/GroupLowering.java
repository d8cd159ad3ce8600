package dev.lathe.graph.fusion;

import dev.lathe.graph.Constant;
import dev.lathe.graph.Dim;
import dev.lathe.graph.Node;
import dev.lathe.graph.NodeLowering;
import dev.lathe.graph.TensorType;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.PlaceholderOp;
import dev.lathe.te.Te;
import dev.lathe.te.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fused group as one compute declaration: a placeholder per input value, each node lowered onto
 * the tensors of the nodes before it, the group's outputs as the DAG's outputs. {@code arguments}
 * names, per kernel parameter (the order of {@link ComputeDag#arguments()}), the graph value it
 * binds; {@code isOutput} says which parameters the kernel writes.
 */
public record GroupLowering(FusedGroup group, ComputeDag dag, List<String> arguments, List<Boolean> isOutput) {
    public GroupLowering {
        arguments = List.copyOf(arguments);
        isOutput = List.copyOf(isOutput);
    }

    /**
     * Lowers a group of a graph of the given opset; {@code types} types every value,
     * {@code known} holds the compile-time values (initializers) that shape- and axis-giving
     * inputs need.
     */
    public static GroupLowering of(FusedGroup group, int opset, Map<String, TensorType> types,
                                   Map<String, Constant> known) {
        Map<String, Tensor> env = new HashMap<>();
        Map<Tensor, String> bound = new HashMap<>();
        for (int i = 0; i < group.inputs().size(); i++) {
            String v = group.inputs().get(i);
            TensorType t = types.get(v);
            Tensor p = Te.placeholder(t.shape().stream().map(Dim::extent).toList(), t.dtype(), "in" + i);
            env.put(v, p);
            bound.put(p, v);
        }
        for (int j = 0; j < group.nodes().size(); j++) {
            Node n = group.nodes().get(j);
            List<Tensor> ins = n.inputs().stream().map(in -> in.isEmpty() ? null : env.get(in)).toList();
            // Stage names must be unique within a DAG: schedule steps name their stages.
            NodeLowering low = NodeLowering.onto(n, opset, ins, known, "n" + j + "_y");
            for (int k = 0; k < n.outputs().size(); k++) {
                if (!n.outputs().get(k).isEmpty()) {
                    env.put(n.outputs().get(k), low.outputs().get(k));
                }
            }
        }
        List<Tensor> outs = new ArrayList<>();
        for (int j = 0; j < group.outputs().size(); j++) {
            String v = group.outputs().get(j);
            Tensor t = env.get(v);
            // A value passed straight through (or written twice) still needs a stage of its own to write it.
            if (t.op() instanceof PlaceholderOp || outs.contains(t)) {
                Tensor src = t;
                t = Te.computeN(src.shape(), src::get, "out" + j);
            }
            outs.add(t);
            bound.put(t, v);
        }
        ComputeDag dag = ComputeDag.of(outs);
        List<String> args = new ArrayList<>();
        List<Boolean> isOut = new ArrayList<>();
        for (Tensor t : dag.arguments()) {
            args.add(bound.get(t));
            isOut.add(dag.outputs().contains(t));
        }
        return new GroupLowering(group, dag, args, isOut);
    }

    /** Lowers every group of a partition. */
    public static List<GroupLowering> of(List<FusedGroup> groups, int opset, Map<String, TensorType> types,
                                         Map<String, Constant> known) {
        return groups.stream().map(g -> of(g, opset, types, known)).toList();
    }
}
