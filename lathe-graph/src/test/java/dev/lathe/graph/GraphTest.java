package dev.lathe.graph;

import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphTest {
    static final TensorType X = new TensorType(DType.FLOAT32, List.of(Dim.sym("N"), Dim.of(3)));

    static Graph twoNodes(List<Node> nodes, Map<String, TensorType> types) {
        Map<String, Constant> inits = Map.of("b", new Constant(NDArray.of(new float[]{1, 2, 3}, 3)));
        return new Graph("g", 13, List.of(new Value("x", X)), inits, nodes, List.of("z"), types);
    }

    static Map<String, TensorType> types() {
        Map<String, TensorType> t = new LinkedHashMap<>();
        t.put("x", X);
        t.put("b", TensorType.of(DType.FLOAT32, 3));
        t.put("y", X);
        t.put("z", X);
        return t;
    }

    @Test
    void printsInAStableTextForm() {
        Graph g = twoNodes(List.of(
                new Node("add0", "Add", List.of("x", "b"), List.of("y"), Map.of()),
                new Node("act", "LeakyRelu", List.of("y"), List.of("z"), Map.of("alpha", new Attribute.Float(0.5)))),
                types());
        assertEquals("""
                graph g (opset 13) {
                  input x: float32[N,3]
                  const b: float32[3] {1.0, 2.0, 3.0}
                  y: float32[N,3] = Add(x, b)  # add0
                  z: float32[N,3] = LeakyRelu(y) {alpha=0.5}  # act
                  output z
                }
                """, g.toString());
    }

    @Test
    void rejectsAValueDefinedTwice() {
        var e = assertThrows(InvalidGraphException.class, () -> twoNodes(List.of(
                new Node("a", "Relu", List.of("x"), List.of("z"), Map.of()),
                new Node("b", "Relu", List.of("x"), List.of("z"), Map.of())), types()));
        assertTrue(e.getMessage().contains("'z' is defined twice"), e.getMessage());
    }

    @Test
    void rejectsNodesOutOfTopologicalOrder() {
        var e = assertThrows(InvalidGraphException.class, () -> twoNodes(List.of(
                new Node("second", "Relu", List.of("y"), List.of("z"), Map.of()),
                new Node("first", "Relu", List.of("x"), List.of("y"), Map.of())), types()));
        assertTrue(e.getMessage().contains("reads 'y' before it is defined"), e.getMessage());
    }

    @Test
    void rejectsAnUntypedValue() {
        Map<String, TensorType> t = types();
        t.remove("y");
        var e = assertThrows(InvalidGraphException.class, () -> twoNodes(List.of(
                new Node("a", "Relu", List.of("x"), List.of("y"), Map.of()),
                new Node("b", "Relu", List.of("y"), List.of("z"), Map.of())), t));
        assertTrue(e.getMessage().contains("'y' has no type"), e.getMessage());
    }

    @Test
    void unknownOperatorIsNamedWithItsNode() {
        Node n = new Node("mystery_7", "FancyOp", List.of("x"), List.of("y"), Map.of());
        var e = assertThrows(UnsupportedOperatorException.class, () -> OpTable.of(n));
        assertTrue(e.getMessage().contains("FancyOp node 'mystery_7'"), e.getMessage());
        assertEquals("FancyOp", e.opType());
    }

    @Test
    void typeInferenceKeepsSymbolicDimsAndFoldsShapeArithmetic() {
        Map<String, Constant> known = Map.of("idx", new Constant(NDArray.of(new long[]{1}, 1)));
        List<Node> nodes = List.of(
                new Node("s", "Shape", List.of("x"), List.of("shape"), Map.of()),
                new Node("g", "Gather", List.of("shape", "idx"), List.of("cols"), Map.of()),
                new Node("r", "Relu", List.of("x"), List.of("y"), Map.of()));
        TypeInference.Result r = TypeInference.infer(13, List.of(new Value("x", X)), known, nodes, Map.of(),
                TypeInference.FOLD_LIMIT);
        assertEquals("float32[N,3]", r.types().get("y").toString());
        assertEquals("int64[2]", r.types().get("shape").toString());
        assertTrue(!r.constants().containsKey("shape"), "the shape of x depends on N");
        assertEquals("int64[1]", r.types().get("cols").toString());
    }

    @Test
    void memoryPlanReusesBuffersAlongAChain() {
        TensorType t = TensorType.of(DType.FLOAT32, 4, 4);
        List<Node> nodes = List.of(
                new Node("r1", "Relu", List.of("x"), List.of("a"), Map.of()),
                new Node("r2", "Relu", List.of("a"), List.of("b"), Map.of()),
                new Node("r3", "Relu", List.of("b"), List.of("c"), Map.of()),
                new Node("r4", "Relu", List.of("c"), List.of("d"), Map.of()),
                new Node("r5", "Relu", List.of("d"), List.of("out"), Map.of()));
        Map<String, TensorType> types = new LinkedHashMap<>();
        for (String v : List.of("x", "a", "b", "c", "d", "out")) {
            types.put(v, t);
        }
        Graph g = new Graph("chain", 13, List.of(new Value("x", t)), Map.of(), nodes, List.of("out"), types);
        GraphExecutor ex = GraphExecutor.of(g);
        NDArray x = NDArray.of(new float[]{-1, 2, -3, 4, 5, -6, 7, -8, 9, 10, -11, 12, -13, 14, 15, -16}, 4, 4);
        NDArray out = ex.run(Map.of("x", x)).get("out");
        for (int i = 0; i < 16; i++) {
            assertEquals(Math.max(0, x.getDouble(i)), out.getDouble(i));
        }
        MemoryPlan plan = ex.plan(Map.of("x", x)).memory();
        assertEquals(2, plan.slotBytes().size(), "a, b, c, d alternate between two buffers: " + plan);
        assertTrue(!plan.slotOf().containsKey("out"), "graph outputs own their buffer");
    }
}
