package dev.lathe.graph;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One operator application. Inputs and outputs are value names; an empty input name marks an
 * omitted optional input (as in ONNX). Attributes are kept sorted by name so printing is stable.
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs,
                   Map<String, Attribute> attributes) {
    public Node {
        if (opType == null || opType.isEmpty()) {
            throw new IllegalArgumentException("node " + name + " has no operator type");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** The input name at a position, or "" when the input is absent. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    public OptionalLong intAttr(String key) {
        return attributes.get(key) instanceof Attribute.Int(long v) ? OptionalLong.of(v) : OptionalLong.empty();
    }

    public long intAttr(String key, long otherwise) {
        return intAttr(key).orElse(otherwise);
    }

    public OptionalDouble floatAttr(String key) {
        return switch (attributes.get(key)) {
            case Attribute.Float(double v) -> OptionalDouble.of(v);
            case Attribute.Int(long v) -> OptionalDouble.of(v);
            case null, default -> OptionalDouble.empty();
        };
    }

    public double floatAttr(String key, double otherwise) {
        return floatAttr(key).orElse(otherwise);
    }

    public String stringAttr(String key, String otherwise) {
        return attributes.get(key) instanceof Attribute.Str(String v) ? v : otherwise;
    }

    /** An integer-list attribute, or null when absent. */
    public long[] intsAttr(String key) {
        return attributes.get(key) instanceof Attribute.Ints(List<Long> v)
                ? v.stream().mapToLong(Long::longValue).toArray() : null;
    }

    /** A short label for messages: the operator type and the node name. */
    public String label() {
        return opType + " node '" + name + "'";
    }
}
