package dev.lathe.graph;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stable text form of a graph:
 * <pre>
 * graph name (opset 13) {
 *   input x: float32[N,3]
 *   const w: float32[3,4] {...}
 *   y: float32[N,4] = MatMul(x, w)                     # node name
 *   z: float32[N,4] = LeakyRelu(y) {alpha=0.1}
 *   output z
 * }
 * </pre>
 */
public final class GraphPrinter {
    private GraphPrinter() {
    }

    public static String print(Graph g) {
        StringBuilder sb = new StringBuilder();
        sb.append("graph ").append(g.name()).append(" (opset ").append(g.opset()).append(") {\n");
        for (Value v : g.inputs()) {
            sb.append("  input ").append(v).append('\n');
        }
        for (Map.Entry<String, Constant> e : g.initializers().entrySet()) {
            sb.append("  const ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        for (Node n : g.nodes()) {
            sb.append("  ").append(n.outputs().stream()
                    .map(o -> o.isEmpty() ? "_" : o + ": " + g.type(o)).collect(Collectors.joining(", ")));
            sb.append(" = ").append(n.opType()).append('(')
                    .append(n.inputs().stream().map(i -> i.isEmpty() ? "_" : i).collect(Collectors.joining(", ")))
                    .append(')');
            if (!n.attributes().isEmpty()) {
                sb.append(n.attributes().entrySet().stream()
                        .map(e -> e.getKey() + "=" + Attribute.format(e.getValue()))
                        .collect(Collectors.joining(", ", " {", "}")));
            }
            if (n.name() != null && !n.name().isEmpty()) {
                sb.append("  # ").append(n.name());
            }
            sb.append('\n');
        }
        for (String o : g.outputs()) {
            sb.append("  output ").append(o).append('\n');
        }
        return sb.append("}\n").toString();
    }
}
