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
    /** One operator: its lowering and the positions of its compile-time-value inputs. */
    public record OpDef(String opType, Set<Integer> valueInputs, Lowering lowering) {
        public OpDef {
            valueInputs = Set.copyOf(valueInputs);
        }
    }

    private static final Map<String, OpDef> OPS;

    static {
        Map<String, OpDef> t = new TreeMap<>();
        ElementwiseOps.register(t);
        ShapeOps.register(t);
        NnOps.register(t);
        ReduceOps.register(t);
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

    static void add(Map<String, OpDef> t, String op, Lowering l, Integer... valueInputs) {
        t.put(op, new OpDef(op, Set.of(valueInputs), l));
    }
}
