package dev.lathe.graph;

import java.util.Collections;
import java.util.Set;
import java.util.TreeMap;
import java.util.Map;

/**
 * The operators Lathe compiles, each with its lowering and the inputs whose values it needs at
 * compile time (shapes, axes, slice bounds). One table serves type inference, constant folding
 * and code generation: a node's types are those of the tensors its lowering declares.
 */
public final class OpTable {
    /**
     * One operator: its lowering, the positions of its compile-time-value inputs, and the oldest
     * model opset whose definition of the operator the lowering implements.
     */
    public record OpDef(String opType, Set<Integer> valueInputs, Lowering lowering, int sinceOpset) {
        public OpDef {
            valueInputs = Set.copyOf(valueInputs);
        }
    }

    /**
     * The lowerings implement the operator definitions current at opset 13 and later. A model of an
     * older opset is still read when its operators' definitions are the same there: from opset 1
     * for most, later where the definition changed in a way the lowering does not follow
     * (multidirectional broadcasting came with opset 7, 8 for Max and Min; Softmax coerced its
     * input to 2-D before 13; Clip took attributes before 11, Slice before 10, Reshape before 5).
     */
    public static final int OLDEST_OPSET = 1;
    private static final Map<String, Integer> SINCE = Map.ofEntries(
            Map.entry("Add", 7), Map.entry("Sub", 7), Map.entry("Mul", 7), Map.entry("Div", 7), Map.entry("Pow", 7),
            Map.entry("And", 7), Map.entry("Or", 7), Map.entry("Equal", 7), Map.entry("Less", 7),
            Map.entry("Greater", 7), Map.entry("Gemm", 7), Map.entry("BatchNormalization", 7),
            Map.entry("Max", 8), Map.entry("Min", 8), Map.entry("Softmax", 13), Map.entry("LogSoftmax", 13),
            Map.entry("Clip", 11), Map.entry("Slice", 10), Map.entry("Reshape", 5), Map.entry("Cast", 6),
            Map.entry("Concat", 4), Map.entry("Gelu", 20), Map.entry("LayerNormalization", 17),
            Map.entry("LessOrEqual", 12), Map.entry("GreaterOrEqual", 12), Map.entry("Where", 9));

    private static final Map<String, OpDef> OPS;

    static {
        Map<String, OpDef> t = new TreeMap<>();
        ElementwiseOps.register(t);
        ShapeOps.register(t);
        NnOps.register(t);
        ReduceOps.register(t);
        MoreOps.register(t);
        LayoutOps.register(t);
        OPS = Collections.unmodifiableMap(t);
    }

    private OpTable() {
    }

    /** The operator types with a lowering, sorted. */
    public static Set<String> supported() {
        return OPS.keySet();
    }

    public static boolean supports(String opType) {
        return OPS.containsKey(opType);
    }

    /** The definition of a node's operator; throws {@link UnsupportedOperatorException} naming op and node. */
    public static OpDef of(Node node) {
        OpDef d = OPS.get(node.opType());
        if (d == null) {
            throw new UnsupportedOperatorException(node, "no lowering for operator " + node.opType()
                    + " (supported: " + String.join(", ", OPS.keySet()) + ")");
        }
        return d;
    }

    /** The definition of a node's operator in a model of the given opset, checked to be the one implemented. */
    public static OpDef of(Node node, int opset) {
        OpDef d = of(node);
        if (opset < d.sinceOpset()) {
            throw new UnsupportedOperatorException(node, "the model's opset " + opset + " defines " + node.opType()
                    + " differently; Lathe implements its definition from opset " + d.sinceOpset()
                    + " on (convert the model with onnx.version_converter)");
        }
        return d;
    }

    static void add(Map<String, OpDef> t, String op, Lowering l, Integer... valueInputs) {
        t.put(op, new OpDef(op, Set.of(valueInputs), l, SINCE.getOrDefault(op, OLDEST_OPSET)));
    }
}
