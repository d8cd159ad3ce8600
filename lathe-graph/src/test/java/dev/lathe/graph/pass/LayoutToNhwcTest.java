package dev.lathe.graph.pass;

import dev.lathe.graph.Attribute;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphBuilder;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.Node;
import dev.lathe.graph.compile.NetworkCompiler;
import dev.lathe.ir.DType;
import dev.lathe.onnx.OnnxImporter;
import dev.lathe.onnx.models.ResNet18;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(1, count(nhwc, "MaxPoolNhwc"), nhwc.toString());
        assertEquals(2, count(nhwc, "Transpose"), "one into NHWC at the input, one back after the pool\n" + nhwc);
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

    /** Every output of the NHWC graph equals that of the NCHW graph, both run by the per-node executor. */
    private static void assertSameOutputs(Graph g, Graph nhwc, long seed) {
        NDArray x = NDArray.random(DType.FLOAT32, new Random(seed), g.type("x").staticShape());
        Map<String, NDArray> want = GraphExecutor.of(g).run(Map.of("x", x));
        Map<String, NDArray> got = GraphExecutor.of(nhwc).run(Map.of("x", x));
        for (String o : g.outputs()) {
            assertArrayEquals(want.get(o).shape(), got.get(o).shape(), o);
            assertArrayEquals(want.get(o).toFloatArray(), got.get(o).toFloatArray(), 1e-5f, o);
        }
    }

    @Test
    void poolingFollowsTheChainInNhwc() {
        Map<String, Attribute> pad1 = Map.of("pads", GraphBuilder.ints(1, 1, 1, 1));
        Graph g = new GraphBuilder("pools", 24).input("x", 1, 3, 9, 9)
                .random("w0", 4, 3, 3, 3).random("w1", 4, 4, 3, 3)
                .node("Conv", List.of("x", "w0"), "c0", pad1).node("Relu", List.of("c0"), "r0")
                .node("Conv", List.of("r0", "w1"), "c1", pad1).node("Relu", List.of("c1"), "r")
                .node("MaxPool", List.of("r"), "max", Map.of("kernel_shape", GraphBuilder.ints(3, 3),
                        "strides", GraphBuilder.ints(2, 2), "pads", GraphBuilder.ints(1, 0, 1, 1),
                        "ceil_mode", new Attribute.Int(1)))
                .node("MaxPool", List.of("r"), "maxDilated", Map.of("kernel_shape", GraphBuilder.ints(2, 2),
                        "dilations", GraphBuilder.ints(2, 2), "auto_pad", new Attribute.Str("SAME_UPPER")))
                .node("AveragePool", List.of("r"), "avg", Map.of("kernel_shape", GraphBuilder.ints(3, 3),
                        "strides", GraphBuilder.ints(2, 2), "pads", GraphBuilder.ints(1, 1, 1, 1)))
                .node("AveragePool", List.of("r"), "avgIncl", Map.of("kernel_shape", GraphBuilder.ints(2, 3),
                        "strides", GraphBuilder.ints(2, 2), "pads", GraphBuilder.ints(1, 1, 0, 1),
                        "count_include_pad", new Attribute.Int(1), "ceil_mode", new Attribute.Int(1)))
                .node("GlobalAveragePool", List.of("r"), "gap").node("GlobalMaxPool", List.of("r"), "gmp")
                .build("max", "maxDilated", "avg", "avgIncl", "gap", "gmp");
        Graph nhwc = LayoutToNhwc.convert(g);
        assertEquals(0, count(nhwc, "MaxPool") + count(nhwc, "AveragePool") + count(nhwc, "GlobalAveragePool")
                + count(nhwc, "GlobalMaxPool"), nhwc.toString());
        assertEquals(2, count(nhwc, "MaxPoolNhwc"), nhwc.toString());
        assertEquals(2, count(nhwc, "AveragePoolNhwc"), nhwc.toString());
        assertEquals(1 + 6, count(nhwc, "Transpose"), "one into NHWC, one back per pooled output\n" + nhwc);
        assertSameOutputs(g, nhwc, 25);
    }

    @Test
    void groupedDepthwiseAndAutoPaddedConvolutionsConvert() {
        Graph g = new GraphBuilder("grouped", 23).input("x", 1, 4, 7, 7).random("w", 6, 2, 3, 3)
                .random("dw", 12, 1, 3, 3).random("db", 12).random("pw", 4, 12, 1, 1)
                .node("Conv", List.of("x", "w"), "g", Map.of("group", new Attribute.Int(2),
                        "auto_pad", new Attribute.Str("SAME_UPPER"), "strides", GraphBuilder.ints(2, 2)))
                .node("Relu", List.of("g"), "gr")
                .node("Conv", List.of("gr", "dw", "db"), "d", Map.of("group", new Attribute.Int(6),
                        "auto_pad", new Attribute.Str("SAME_LOWER")))
                .node("Conv", List.of("d", "pw"), "y", Map.of("auto_pad", new Attribute.Str("VALID")))
                .build("y");
        Graph nhwc = LayoutToNhwc.convert(g);
        assertEquals(List.of("Transpose", "ConvNhwc", "Relu", "DepthwiseConvNhwc", "ConvNhwc", "Transpose"),
                nhwc.nodes().stream().map(Node::opType).toList(), nhwc.toString());
        assertEquals("float32[3,3,6,2]", nhwc.type("dw_hwcm").toString(), "depthwise weights as [KH,KW,C,M]");
        assertSameOutputs(g, nhwc, 26);
    }

    @Test
    void poolingBeforeAnyConvolutionStaysInNchw() {
        Graph g = new GraphBuilder("pool", 27).input("x", 1, 3, 8, 8)
                .node("MaxPool", List.of("x"), "y", Map.of("kernel_shape", GraphBuilder.ints(2, 2)))
                .build("y");
        assertSame(g, LayoutToNhwc.convert(g));
    }

    /** N2 after the default passes: a transpose into NHWC at the input and one back before Flatten, nothing else. */
    @Test
    void resnet18KeepsTwoTransposes() {
        Graph g = Passes.optimize(OnnxImporter.fromModel(ResNet18.build(7, 64), "resnet18"));
        assertEquals(20, count(g, "ConvNhwc"), g.toString());
        assertEquals(1, count(g, "MaxPoolNhwc"), g.toString());
        assertEquals(1, count(g, "GlobalAveragePoolNhwc"), g.toString());
        long transposes = count(g, "Transpose");
        assertTrue(transposes <= 2, transposes + " transposes\n" + g);
        assertEquals(List.of(List.of("data"), List.of("pool_nhwc")), g.nodes().stream()
                .filter(n -> n.opType().equals("Transpose")).map(Node::inputs).toList(), g.toString());
    }
}
