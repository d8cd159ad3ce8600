package dev.lathe.graph.pass;

import dev.lathe.graph.Attribute;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphBuilder;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.Node;
import dev.lathe.graph.compile.NetworkCompiler;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class LayoutToNhwcTest {
    /** conv+relu, conv+bias+residual+relu, max pool: a residual block of a CNN. */
    static Graph residualBlock() {
        Map<String, Attribute> pad1 = Map.of("pads", GraphBuilder.ints(1, 1, 1, 1));
        return new GraphBuilder("block", 21).input("x", 1, 3, 10, 10)
                .random("w0", 4, 3, 3, 3).random("b0", 4).random("w1", 4, 4, 3, 3).random("b1", 1, 4, 1, 1)
                .node("Conv", List.of("x", "w0", "b0"), "c0", pad1).node("Relu", List.of("c0"), "r0")
                .node("Conv", List.of("r0", "w1"), "c1", pad1).node("Add", List.of("c1", "b1"), "c1b")
                .node("Add", List.of("c1b", "r0"), "res").node("Relu", List.of("res"), "r1")
                .node("MaxPool", List.of("r1"), "y", Map.of("kernel_shape", GraphBuilder.ints(2, 2),
                        "strides", GraphBuilder.ints(2, 2)))
                .build("y");
    }

    private static long count(Graph g, String op) {
        return g.nodes().stream().filter(n -> n.opType().equals(op)).count();
    }

    @Test
    void convolutionChainRunsInNhwcWithTransposesOnlyAtItsEnds() {
        Graph g = residualBlock();
        Graph nhwc = LayoutToNhwc.run(g);
        assertEquals(2, count(nhwc, "ConvNhwc"), nhwc.toString());
        assertEquals(0, count(nhwc, "Conv"), nhwc.toString());
        assertEquals(2, count(nhwc, "Transpose"), "one into NHWC at the input, one back before the pool\n" + nhwc);
        assertEquals(List.of(3L, 3L, 3L, 4L), nhwc.type("w0_hwio").shape().stream().map(Object::toString)
                .map(Long::parseLong).toList(), "weights transposed to HWIO once, as a constant");
        NDArray x = NDArray.random(DType.FLOAT32, new Random(22), 1, 3, 10, 10);
        float[] want = GraphExecutor.of(g).run(Map.of("x", x)).get("y").toFloatArray();
        assertArrayEquals(want, GraphExecutor.of(nhwc).run(Map.of("x", x)).get("y").toFloatArray(), 1e-5f);
        // The network compiler runs the pass (convolutions dominate) and fuses the NHWC chain.
        assertArrayEquals(want, NetworkCompiler.compile(g).run(Map.of("x", x)).get("y").toFloatArray(), 1e-5f);
    }

    @Test
    void aGraphOfMatrixProductsStaysAsItIs() {
        Graph g = GraphBuilder.mlp(3, 4);
        assertSame(g, LayoutToNhwc.run(g));
    }

    @Test
    void groupedAndAutoPaddedConvolutionsStay() {
        Graph g = new GraphBuilder("grouped", 23).input("x", 1, 4, 6, 6).random("w", 4, 2, 3, 3)
                .node("Conv", List.of("x", "w"), "y", Map.of("group", new Attribute.Int(2),
                        "auto_pad", new Attribute.Str("SAME_UPPER")))
                .build("y");
        assertEquals(List.of("Conv"), LayoutToNhwc.run(g).nodes().stream().map(Node::opType).toList());
    }
}
