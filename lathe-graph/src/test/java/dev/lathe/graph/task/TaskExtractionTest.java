package dev.lathe.graph.task;

import dev.lathe.graph.Attribute;
import dev.lathe.graph.Dim;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphBuilder;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.TensorType;
import dev.lathe.graph.compile.CompiledNetwork;
import dev.lathe.graph.compile.NetworkCompiler;
import dev.lathe.ir.DType;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskExtractionTest {
    @Test
    void aRepeatedBlockIsOneTaskOfWeightThree() {
        GraphBuilder b = new GraphBuilder("twice", 1).input("x", 1, 8, 16, 16);
        String in = "x";
        for (int i = 0; i < 3; i++) {
            b.random("w" + i, 8, 8, 3, 3).random("b" + i, 8)
                    .node("Conv", List.of(in, "w" + i, "b" + i), "c" + i, Map.of("pads", GraphBuilder.ints(1, 1, 1, 1)))
                    .node("Relu", List.of("c" + i), "r" + i);
            in = "r" + i;
        }
        b.node("GlobalAveragePool", List.of(in), "y");
        TaskTable table = NetworkCompiler.tasks(b.build("y"));
        String text = table.toString();
        System.out.print(text);
        // In NHWC: the input transpose, three equal blocks, the pool with the transpose back.
        assertEquals(List.of("Transpose", "ConvNhwc+Relu", "GlobalAveragePoolNhwc+Transpose"),
                table.tasks().stream().map(NetworkTask::opKinds).toList(), text);
        NetworkTask conv = table.tasks().get(1);
        assertEquals(3, conv.weight(), text);
        assertEquals(3, conv.groups().size());
        assertEquals(NetworkTask.Status.TUNE, conv.status());
        // 8·16·16 outputs, each 8·3·3 multiply-adds (2 flops + the bias add per point is counted once) plus relu.
        assertTrue(conv.flops() >= 2.0 * 8 * 16 * 16 * 8 * 9, text);
        assertEquals(NetworkTask.Status.TRIVIAL, table.tasks().get(2).status(), "8 pooled values are not worth tuning");
        assertTrue(text.contains("ConvNhwc+Relu") && text.contains(conv.workloadKey().substring(0, 12)), text);
        assertEquals(2, table.jobs(dev.lathe.measure.Target.host(), 1).size());
    }

    @Test
    void reduceProdIsATaskLikeAnyOtherAndTunes(@TempDir Path dir) {
        Graph g = new GraphBuilder("prod", 2).input("x", 64, 32, 8)
                .node("ReduceProd", List.of("x"), "y", Map.of("axes", GraphBuilder.ints(2),
                        "keepdims", new Attribute.Int(0)))
                .build("y");
        TaskTable table = NetworkCompiler.tasks(g);
        NetworkTask t = table.tasks().getFirst();
        assertEquals("ReduceProd", t.opKinds());
        assertEquals(64, t.workloadKey().length());
        assertEquals(NetworkTask.Status.TUNE, t.status());
        assertTrue(t.dag().toString().contains("prod") || t.dag().toString().contains("*"), t.dag().toString());
        Path records = dir.resolve("prod.json");
        CompiledNetwork net = NetworkCompiler.tune(g, 4, records, NetworkCompiler.Options.defaults().withThreads(1));
        assertTrue(Files.exists(records));
        NDArray x = NDArray.random(DType.FLOAT32, new Random(3), 64, 32, 8);
        assertArrayEquals(GraphExecutor.of(g).run(Map.of("x", x)).get("y").toFloatArray(),
                net.run(Map.of("x", x)).get("y").toFloatArray(), 1e-6f);
    }

    @Test
    void symbolicShapesAreReportedAndCompiledWithTheStaticMode() {
        Graph g = new GraphBuilder("dyn", 4).input("x", new TensorType(DType.FLOAT32, List.of(Dim.sym("N"), Dim.of(32))))
                .random("w", 32, 16).random("b", 16)
                .node("MatMul", List.of("x", "w"), "h").node("Add", List.of("h", "b"), "hb")
                .node("Relu", List.of("hb"), "y").build("y");
        TaskTable table = NetworkCompiler.tasks(g);
        assertEquals(1, table.tasks().size(), table.toString());
        assertEquals(NetworkTask.Status.DYNAMIC, table.tasks().getFirst().status());
        assertTrue(table.tunable().isEmpty());
        CompiledNetwork net = NetworkCompiler.compile(g);
        GraphExecutor ref = GraphExecutor.of(g);
        for (long n : new long[]{3, 5}) {
            NDArray x = NDArray.random(DType.FLOAT32, new Random(n), n, 32);
            NDArray got = net.run(Map.of("x", x)).get("y");
            assertArrayEquals(new long[]{n, 16}, got.shape());
            assertArrayEquals(ref.run(Map.of("x", x)).get("y").toFloatArray(), got.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void smallTasksAreTrivial() {
        Graph g = new GraphBuilder("tiny", 5).input("x", 2, 3).node("Exp", List.of("x"), "y").build("y");
        assertEquals(NetworkTask.Status.TRIVIAL, NetworkCompiler.tasks(g).tasks().getFirst().status());
    }
}
