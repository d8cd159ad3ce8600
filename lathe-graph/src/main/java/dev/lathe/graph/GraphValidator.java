package dev.lathe.graph;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks the invariants of a graph: single assignment, topological order, every value typed. */
final class GraphValidator {
    private GraphValidator() {
    }

    static void validate(String graph, List<Value> inputs, Map<String, Constant> initializers, List<Node> nodes,
                         List<String> outputs, Map<String, TensorType> types) {
        Set<String> defined = new HashSet<>();
        for (Value v : inputs) {
            define(graph, defined, v.name(), "graph input");
            requireType(graph, types, v.name());
            if (!types.get(v.name()).equals(v.type())) {
                throw new InvalidGraphException(graph, "input " + v.name() + " is typed " + v.type()
                        + " but the type table says " + types.get(v.name()));
            }
        }
        for (var e : initializers.entrySet()) {
            define(graph, defined, e.getKey(), "initializer");
            requireType(graph, types, e.getKey());
        }
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw new InvalidGraphException(graph, n.label() + " reads '" + in
                            + "' before it is defined (nodes must be in topological order)");
                }
            }
            for (String out : n.outputs()) {
                if (out.isEmpty()) {
                    continue;
                }
                define(graph, defined, out, n.label());
                requireType(graph, types, out);
            }
        }
        for (String o : outputs) {
            if (!defined.contains(o)) {
                throw new InvalidGraphException(graph, "output '" + o + "' is never defined");
            }
        }
    }

    private static void define(String graph, Set<String> defined, String name, String by) {
        if (!defined.add(name)) {
            throw new InvalidGraphException(graph, "value '" + name + "' is defined twice (second time by "
                    + by + "); values must be assigned once");
        }
    }

    private static void requireType(String graph, Map<String, TensorType> types, String name) {
        if (!types.containsKey(name)) {
            throw new InvalidGraphException(graph, "value '" + name + "' has no type");
        }
    }
}
