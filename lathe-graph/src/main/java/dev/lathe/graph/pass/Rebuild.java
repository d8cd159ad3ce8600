package dev.lathe.graph.pass;

import dev.lathe.graph.Constant;
import dev.lathe.graph.Graph;
import dev.lathe.graph.Node;
import dev.lathe.graph.TypeInference;

import java.util.List;
import java.util.Map;

/** A rewritten graph, typed again (the old types stand for outputs known only at run time). */
final class Rebuild {
    private Rebuild() {
    }

    static Graph graph(Graph g, Map<String, Constant> initializers, List<Node> nodes) {
        TypeInference.Result r = TypeInference.infer(g.opset(), g.inputs(), initializers, nodes, g.types(), 0);
        return new Graph(g.name(), g.opset(), g.inputs(), initializers, nodes, g.outputs(), r.types());
    }
}
