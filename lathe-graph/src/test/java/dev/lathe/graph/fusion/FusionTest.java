package dev.lathe.graph.fusion;

import dev.lathe.graph.Attribute;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphBuilder;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.compile.CompiledNetwork;
import dev.lathe.graph.compile.NetworkCompiler;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FusionTest {
    /** Runs the graph through the fused network compiler and through the per-node executor; they must agree. */
    static CompiledNetwork compileAndCompare(Graph g, Map<String, NDArray> in, float tol) {
        CompiledNetwork net = NetworkCompiler.compile(g);
        Map<String, NDArray> want = GraphExecutor.of(g).run(in);
        Map<String, NDArray> got = net.run(in);
        for (String o : g.outputs()) {
            assertArrayEquals(want.get(o).shape(), got.get(o).shape(), o);
            assertArrayEquals(want.get(o).toFloatArray(), got.get(o).toFloatArray(), tol, o);
        }
        return net;
    }

    static List<String> kinds(List<FusedGroup> groups) {
        return groups.stream().map(FusedGroup::opKinds).toList();
    }

    @Test
    void convBiasReluIsOneKernel() {
        Graph g = new GraphBuilder("cbr", 1).input("x", 1, 3, 8, 8).random("w", 4, 3, 3, 3).random("b", 1, 4, 1, 1)
                .node("Conv", List.of("x", "w"), "c", Map.of("pads", GraphBuilder.ints(1, 1, 1, 1)))
                .node("Add", List.of("c", "b"), "cb").node("Relu", List.of("cb"), "y").build("y");
        assertEquals(List.of("Conv+Add+Relu"), kinds(Fusion.partition(g)));
        NDArray x = NDArray.random(DType.FLOAT32, new Random(2), 1, 3, 8, 8);
        CompiledNetwork net = compileAndCompare(g, Map.of("x", x), 1e-5f);
        assertEquals(1, net.steps().size());
    }

    @Test
    void elementwiseChainIsOneKernel() {
        Graph g = new GraphBuilder("chain", 3).input("x", 4, 300).random("two", 300).random("one", 4, 1)
                .node("Mul", List.of("x", "two"), "a").node("Add", List.of("a", "one"), "b")
                .node("Sigmoid", List.of("b"), "c").node("Tanh", List.of("c"), "y").build("y");
        assertEquals(List.of("Mul+Add+Sigmoid+Tanh"), kinds(Fusion.partition(g)));
        NDArray x = NDArray.random(DType.FLOAT32, new Random(4), 4, 300);
        assertEquals(1, compileAndCompare(g, Map.of("x", x), 1e-6f).steps().size());
    }

    @Test
    void aValueReadTwiceIsWrittenToMemoryAndEndsItsGroup() {
        Graph g = new GraphBuilder("shared", 5).input("x", 1, 2, 6, 6).random("w", 2, 2, 1, 1)
                .node("Conv", List.of("x", "w"), "c").node("Relu", List.of("c"), "r")
                .node("Add", List.of("r", "c"), "y").build("y");
        List<FusedGroup> groups = Fusion.partition(g);
        assertEquals(List.of("Conv", "Relu+Add"), kinds(groups));
        assertEquals(List.of("c"), groups.getFirst().outputs());
        assertEquals(List.of("c"), groups.get(1).inputs());
        compileAndCompare(g, Map.of("x", NDArray.random(DType.FLOAT32, new Random(6), 1, 2, 6, 6)), 1e-6f);
    }

    @Test
    void aGraphOutputIsNotFusedAway() {
        Graph g = new GraphBuilder("twoouts", 7).input("x", 8, 8)
                .node("Exp", List.of("x"), "e").node("Neg", List.of("e"), "y").build("e", "y");
        assertEquals(List.of("Exp", "Neg"), kinds(Fusion.partition(g)));
        compileAndCompare(g, Map.of("x", NDArray.random(DType.FLOAT32, new Random(8), 8, 8)), 1e-6f);
    }

    @Test
    void smallCnnCompilesToFiveKernelsAndMatches() {
        Graph g = GraphBuilder.smallCnn(9);
        NDArray x = NDArray.random(DType.FLOAT32, new Random(10), 1, 3, 8, 8);
        CompiledNetwork net = compileAndCompare(g, Map.of("x", x), 1e-4f);
        // BatchNormalization folded into Conv, the convolutions and the pool in NHWC, the transpose back fused into the pool.
        List<String> groups = NetworkCompiler.lower(g, NetworkCompiler.Options.defaults()).groups().stream()
                .map(l -> l.group().opKinds()).toList();
        assertEquals(List.of("Transpose", "ConvNhwc+Relu", "ConvNhwc+Relu", "GlobalAveragePoolNhwc+Transpose+Flatten",
                "Gemm"), groups);
        assertEquals(5, net.steps().size());
    }

    @Test
    void attentionLikeBlockMatches() {
        Graph g = new GraphBuilder("attn", 11).input("x", 8, 16).random("wq", 16, 16).random("wk", 16, 16)
                .random("wv", 16, 16).random("scale", 1).random("gamma", 16).random("beta", 16)
                .node("MatMul", List.of("x", "wq"), "q").node("MatMul", List.of("x", "wk"), "k")
                .node("MatMul", List.of("x", "wv"), "v")
                .node("Transpose", List.of("k"), "kt", Map.of("perm", GraphBuilder.ints(1, 0)))
                .node("MatMul", List.of("q", "kt"), "s").node("Mul", List.of("s", "scale"), "ss")
                .node("Softmax", List.of("ss"), "p", Map.of("axis", new Attribute.Int(-1)))
                .node("MatMul", List.of("p", "v"), "a").node("Add", List.of("a", "x"), "res")
                .node("LayerNormalization", List.of("res", "gamma", "beta"), "y").build("y");
        List<FusedGroup> groups = Fusion.partition(g);
        assertEquals(List.of("MatMul", "MatMul+Transpose", "MatMul", "MatMul+Mul", "Softmax", "MatMul+Add",
                "LayerNormalization"), kinds(groups));
        compileAndCompare(g, Map.of("x", NDArray.random(DType.FLOAT32, new Random(12), 8, 16)), 1e-4f);
    }
}
