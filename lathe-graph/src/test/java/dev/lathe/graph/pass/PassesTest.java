package dev.lathe.graph.pass;

import dev.lathe.graph.Attribute;
import dev.lathe.graph.Constant;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.Node;
import dev.lathe.graph.TensorType;
import dev.lathe.graph.TypeInference;
import dev.lathe.graph.Value;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassesTest {
    static Graph typed(String name, List<Value> inputs, Map<String, Constant> inits, List<Node> nodes, List<String> outs) {
        TypeInference.Result r = TypeInference.infer(13, inputs, inits, nodes, Map.of(), 0);
        return new Graph(name, 13, inputs, inits, nodes, outs, r.types());
    }

    static Constant random(Random rng, long... shape) {
        return new Constant(NDArray.random(DType.FLOAT32, rng, shape));
    }

    static Constant positive(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5f + rng.nextFloat();
        }
        return new Constant(NDArray.of(v, n));
    }

    @Test
    void constantFoldingRemovesNodesOfConstantsOnly() {
        Random rng = new Random(11);
        Map<String, Constant> inits = new LinkedHashMap<>();
        inits.put("w", random(rng, 3, 4));
        Value x = new Value("x", TensorType.of(DType.FLOAT32, 2, 4));
        List<Node> nodes = List.of(
                new Node("t", "Transpose", List.of("w"), List.of("wt"), Map.of()),
                new Node("neg", "Neg", List.of("wt"), List.of("nwt"), Map.of()),
                new Node("mm", "MatMul", List.of("x", "nwt"), List.of("y"), Map.of()));
        Graph g = typed("cf", List.of(x), inits, nodes, List.of("y"));
        Graph folded = ConstantFolding.run(g);
        assertEquals(List.of("MatMul"), folded.nodes().stream().map(Node::opType).toList(), folded.toString());
        assertEquals(List.of("nwt"), List.copyOf(folded.initializers().keySet()), "w and wt are no longer read");
        NDArray in = NDArray.random(DType.FLOAT32, rng, 2, 4);
        assertArrayEquals(GraphExecutor.of(g).run(Map.of("x", in)).get("y").toFloatArray(),
                GraphExecutor.of(folded).run(Map.of("x", in)).get("y").toFloatArray(), 1e-6f);
    }

    @Test
    void batchNormFoldsIntoTheConvolutionBeforeIt() {
        Random rng = new Random(5);
        Map<String, Constant> inits = new LinkedHashMap<>();
        inits.put("W", random(rng, 4, 3, 3, 3));
        inits.put("B", random(rng, 4));
        inits.put("scale", random(rng, 4));
        inits.put("bias", random(rng, 4));
        inits.put("mean", random(rng, 4));
        inits.put("var", positive(rng, 4));
        Value x = new Value("x", TensorType.of(DType.FLOAT32, 1, 3, 6, 6));
        List<Node> nodes = List.of(
                new Node("conv", "Conv", List.of("x", "W", "B"), List.of("c"),
                        Map.of("pads", new Attribute.Ints(List.of(1L, 1L, 1L, 1L)))),
                new Node("bn", "BatchNormalization", List.of("c", "scale", "bias", "mean", "var"), List.of("y"),
                        Map.of("epsilon", new Attribute.Float(1e-3))),
                new Node("act", "Relu", List.of("y"), List.of("z"), Map.of()));
        Graph g = typed("convbn", List.of(x), inits, nodes, List.of("z"));
        Graph folded = FoldBatchNorm.run(g);
        assertEquals(List.of("Conv", "Relu"), folded.nodes().stream().map(Node::opType).toList(), folded.toString());
        assertFalse(folded.initializers().containsKey("scale"));
        NDArray in = NDArray.random(DType.FLOAT32, rng, 1, 3, 6, 6);
        float[] want = GraphExecutor.of(g).run(Map.of("x", in)).get("z").toFloatArray();
        float[] got = GraphExecutor.of(folded).run(Map.of("x", in)).get("z").toFloatArray();
        assertArrayEquals(want, got, 1e-4f);
        assertTrue(want.length == 4 * 36);
    }

    @Test
    void batchNormAfterAConvWithAnotherReaderStays() {
        Random rng = new Random(6);
        Map<String, Constant> inits = new LinkedHashMap<>();
        inits.put("W", random(rng, 2, 1, 1, 1));
        for (String p : List.of("scale", "bias", "mean")) {
            inits.put(p, random(rng, 2));
        }
        inits.put("var", positive(rng, 2));
        Value x = new Value("x", TensorType.of(DType.FLOAT32, 1, 1, 2, 2));
        List<Node> nodes = List.of(
                new Node("conv", "Conv", List.of("x", "W"), List.of("c"), Map.of()),
                new Node("bn", "BatchNormalization", List.of("c", "scale", "bias", "mean", "var"), List.of("y"), Map.of()),
                new Node("sum", "Add", List.of("y", "c"), List.of("z"), Map.of()));
        Graph g = typed("shared", List.of(x), inits, nodes, List.of("z"));
        assertEquals(g, FoldBatchNorm.run(g));
    }
}
