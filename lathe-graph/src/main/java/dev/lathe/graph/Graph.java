package dev.lathe.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataflow graph: inputs, constant initializers, nodes in topological order and outputs; every
 * value name has a type in {@link #types()}. Construction validates the graph (see {@link GraphValidator}).
 */
public record Graph(String name, int opset, List<Value> inputs, Map<String, Constant> initializers,
                    List<Node> nodes, List<String> outputs, Map<String, TensorType> types) {
    public Graph {
        inputs = List.copyOf(inputs);
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        nodes = List.copyOf(nodes);
        outputs = List.copyOf(outputs);
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        GraphValidator.validate(name, inputs, initializers, nodes, outputs, types);
    }

    public TensorType type(String value) {
        TensorType t = types.get(value);
        if (t == null) {
            throw new IllegalArgumentException("graph " + name + " has no value '" + value + "'");
        }
        return t;
    }

    public List<Value> outputValues() {
        return outputs.stream().map(o -> new Value(o, type(o))).toList();
    }

    @Override
    public String toString() {
        return GraphPrinter.print(this);
    }
}
