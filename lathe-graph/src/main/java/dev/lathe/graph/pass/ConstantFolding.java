package dev.lathe.graph.pass;

import dev.lathe.graph.Constant;
import dev.lathe.graph.Graph;
import dev.lathe.graph.Node;
import dev.lathe.graph.TypeInference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates at compile time every node whose inputs are all constant (initializers, Constant
 * nodes, earlier folded values) and whose outputs have at most {@code limit} elements, e.g. a
 * transpose or reshape of a weight, or shape arithmetic. Folded nodes disappear; the values
 * still read become initializers, and initializers no longer read are dropped.
 */
public final class ConstantFolding {
    /** The default size limit: folding runs the reference evaluator, which is slow on big tensors. */
    public static final long DEFAULT_LIMIT = 1 << 18;

    private ConstantFolding() {
    }

    public static Graph run(Graph g) {
        return run(g, DEFAULT_LIMIT);
    }

    public static Graph run(Graph g, long limit) {
        TypeInference.Result r = TypeInference.infer(g.opset(), g.inputs(), g.initializers(), g.nodes(), g.types(), limit);
        List<Node> kept = new ArrayList<>();
        for (Node n : g.nodes()) {
            boolean folded = n.outputs().stream().allMatch(o -> o.isEmpty() || r.constants().containsKey(o));
            if (!folded) {
                kept.add(n);
            }
        }
        Set<String> read = new HashSet<>(g.outputs());
        kept.forEach(n -> read.addAll(n.inputs()));
        Map<String, Constant> inits = new LinkedHashMap<>();
        r.constants().forEach((name, c) -> {
            if (read.contains(name)) {
                inits.put(name, c);
            }
        });
        return Rebuild.graph(g, inits, kept);
    }
}
