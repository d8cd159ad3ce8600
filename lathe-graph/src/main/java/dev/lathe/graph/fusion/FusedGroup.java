package dev.lathe.graph.fusion;

import dev.lathe.graph.Node;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Nodes compiled together into one kernel, in topological order. {@code pattern} is that of the
 * group's first node (its anchor, when it has one). {@code inputs} are the values the group reads
 * from outside (graph inputs, constants, other groups' outputs), in order of first reading;
 * {@code outputs} the values it writes that are read outside it or are graph outputs.
 */
public record FusedGroup(int index, List<Node> nodes, OpPattern pattern, List<String> inputs, List<String> outputs) {
    public FusedGroup {
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a fused group needs at least one node");
        }
    }

    /** The operator types of the nodes, e.g. {@code Conv+Add+Relu}. */
    public String opKinds() {
        return nodes.stream().map(Node::opType).collect(Collectors.joining("+"));
    }

    /** A kernel name: index and operator types, a valid identifier of at most 64 characters. */
    public String kernelName() {
        String ops = nodes.stream().map(n -> n.opType().toLowerCase(Locale.ROOT)).collect(Collectors.joining("_"));
        String name = "g" + index + "_" + ops.replaceAll("[^a-z0-9_]", "");
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    @Override
    public String toString() {
        return "group " + index + " [" + opKinds() + "] " + inputs + " -> " + outputs;
    }
}
