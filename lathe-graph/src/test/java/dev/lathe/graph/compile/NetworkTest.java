package dev.lathe.graph.compile;

import dev.lathe.autoschedule.AutoScheduler;
import dev.lathe.graph.Dim;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphBuilder;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.TensorType;
import dev.lathe.graph.task.NetworkTask;
import dev.lathe.graph.task.TaskTable;
import dev.lathe.ir.DType;
import dev.lathe.measure.Target;
import dev.lathe.records.ApplyHistoryBest;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkTest {
    private static void assertSame(Map<String, NDArray> want, Map<String, NDArray> got, float tol) {
        assertEquals(want.keySet(), got.keySet());
        for (String o : want.keySet()) {
            assertArrayEquals(want.get(o).shape(), got.get(o).shape(), o);
            assertArrayEquals(want.get(o).toFloatArray(), got.get(o).toFloatArray(), tol, o);
        }
    }

    @Test
    void tuneWithATinyBudgetThenCompileFromTheRecords(@TempDir Path dir) {
        Graph g = GraphBuilder.mlp(1, 64);
        Path records = dir.resolve("mlp.json");
        NetworkCompiler.Options opts = NetworkCompiler.Options.defaults().withThreads(1);
        TaskTable tasks = NetworkCompiler.lower(g, opts).tasks();
        assertEquals(3, tasks.tunable().size(), tasks.toString());
        CompiledNetwork tuned = NetworkCompiler.tune(g, 4, records, opts);
        Map<String, NDArray> in = Map.of("x", NDArray.random(DType.FLOAT32, new Random(2), 64, 32));
        Map<String, NDArray> want = GraphExecutor.of(g).run(in);
        assertSame(want, tuned.run(in), 1e-5f);
        ApplyHistoryBest best = AutoScheduler.applyHistoryBest(records, Target.host());
        long recorded = tasks.tunable().stream().filter(t -> best.record(t.dag()).isPresent()).count();
        assertEquals(3, recorded, "the task scheduler gave every task a share of the budget");
        // A later compile picks the schedules up from the records, without tuning.
        assertSame(want, NetworkCompiler.compile(g, records, opts).run(in), 1e-5f);
    }

    @Test
    void exportedNetworkLoadsAndGivesTheSameOutputs(@TempDir Path dir) {
        Graph g = GraphBuilder.smallCnn(3);
        CompiledNetwork net = NetworkCompiler.compile(g);
        Map<String, NDArray> in = Map.of("x", NDArray.random(DType.FLOAT32, new Random(4), 1, 3, 8, 8));
        Map<String, NDArray> want = net.run(in);
        net.export(dir.resolve("cnn"));
        assertTrue(Files.exists(dir.resolve("cnn/network.json")));
        CompiledNetwork loaded = CompiledNetwork.load(dir.resolve("cnn"));
        assertEquals(net.steps().size(), loaded.steps().size());
        assertSame(want, loaded.run(in), 0f);
        assertThrows(java.io.UncheckedIOException.class, () -> CompiledNetwork.load(dir.resolve("missing")));
    }

    /**
     * A batch of N through MatMul and a Reshape to [N·2, 8], whose result is also an output, so
     * the Relu after it is a kernel whose parameters give N only as {@code N * 2}.
     */
    @Test
    void networkWithASymbolicBatchExportsAndRunsAtAnyBatch(@TempDir Path dir) throws java.io.IOException {
        Graph g = new GraphBuilder("dyn", 12).input("x", new TensorType(DType.FLOAT32, List.of(Dim.sym("N"), Dim.of(32))))
                .random("w", 32, 16).constant("shape", NDArray.of(new long[]{-1, 8}, 2))
                .node("MatMul", List.of("x", "w"), "h").node("Reshape", List.of("h", "shape"), "r")
                .node("Relu", List.of("r"), "y").build("r", "y");
        assertEquals("float32[N * 2,8]", g.type("y").toString());
        CompiledNetwork net = NetworkCompiler.compile(g);
        net.export(dir.resolve("dyn"));
        String manifest = Files.readString(dir.resolve("dyn/network.json"));
        assertTrue(manifest.contains("\"sizeVars\" : [ \"N\" ]"), manifest);
        CompiledNetwork loaded = CompiledNetwork.load(dir.resolve("dyn"));
        GraphExecutor ref = GraphExecutor.of(g);
        for (long n : new long[]{3, 5, 3}) {
            Map<String, NDArray> in = Map.of("x", NDArray.random(DType.FLOAT32, new Random(n), n, 32));
            Map<String, NDArray> want = ref.run(in);
            assertArrayEquals(new long[]{2 * n, 8}, want.get("y").shape());
            assertSame(want, net.run(in), 1e-5f);
            assertSame(want, loaded.run(in), 1e-5f);
        }
        var bad = assertThrows(IllegalArgumentException.class,
                () -> loaded.run(Map.of("x", NDArray.zeros(DType.FLOAT32, 2, 31))));
        assertTrue(bad.getMessage().contains("dimension 1"), bad.getMessage());
    }

    @Test
    void twoSizeVariablesOfOneNameAreNotExported(@TempDir Path dir) {
        TensorType a = new TensorType(DType.FLOAT32, List.of(Dim.sym("N"), Dim.of(4)));
        TensorType b = new TensorType(DType.FLOAT32, List.of(Dim.sym("N"), Dim.of(4)));
        Graph g = new GraphBuilder("two", 16).input("x", a).input("z", b)
                .node("Exp", List.of("x"), "ex").node("Exp", List.of("z"), "ez").build("ex", "ez");
        CompiledNetwork net = NetworkCompiler.compile(g);
        var e = assertThrows(IllegalStateException.class, () -> net.export(dir.resolve("two")));
        assertTrue(e.getMessage().contains("two distinct size variables named 'N'"), e.getMessage());
    }

    @Test
    void outputsOfOneRunAreNotOverwrittenByTheNext() {
        Graph g = GraphBuilder.mlp(13, 4);
        CompiledNetwork net = NetworkCompiler.compile(g);
        Map<String, NDArray> in1 = Map.of("x", NDArray.random(DType.FLOAT32, new Random(14), 4, 32));
        Map<String, NDArray> in2 = Map.of("x", NDArray.random(DType.FLOAT32, new Random(15), 4, 32));
        NDArray first = net.run(in1).get("y");
        float[] before = first.toFloatArray();
        NDArray second = net.run(in2).get("y");
        assertArrayEquals(before, first.toFloatArray(), 0f);
        // The second run reused the first one's intermediate buffers and still computed its own result.
        assertSame(GraphExecutor.of(g).run(in2), Map.of("y", second), 1e-5f);
    }

    @Test
    void intermediateBuffersAreReused() {
        GraphBuilder b = new GraphBuilder("chain", 5).input("x", 64, 64);
        String in = "x";
        for (int i = 0; i < 4; i++) {
            b.random("w" + i, 64, 64).node("MatMul", List.of(in, "w" + i), "m" + i);
            in = "m" + i;
        }
        Graph g = b.build(in);
        CompiledNetwork net = NetworkCompiler.compile(g);
        Map<String, NDArray> inputs = Map.of("x", NDArray.random(DType.FLOAT32, new Random(6), 64, 64));
        // Three intermediates, but at most two live at once.
        assertEquals(2L * 64 * 64 * 4, net.intermediateBytes(inputs));
        assertEquals(new CompiledNetwork.MemoryUse(2L * 64 * 64 * 4, 3L * 64 * 64 * 4), net.memoryUse(inputs));
        assertSame(GraphExecutor.of(g).run(inputs), net.run(inputs), 1e-2f);
    }

    @Test
    void badInputsAreRefusedWithTheirName() {
        CompiledNetwork net = NetworkCompiler.compile(GraphBuilder.mlp(7, 2));
        var missing = assertThrows(IllegalArgumentException.class, () -> net.run(Map.of()));
        assertTrue(missing.getMessage().contains("missing input 'x'"), missing.getMessage());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> net.run(Map.of("x", NDArray.zeros(DType.FLOAT32, 2, 31))));
        assertTrue(shape.getMessage().contains("dimension 1"), shape.getMessage());
    }

    @Test
    void untunedTasksAreListed() {
        TaskTable t = NetworkCompiler.tasks(GraphBuilder.smallCnn(8));
        assertTrue(t.tasks().stream().allMatch(x -> x.status() != NetworkTask.Status.DYNAMIC));
    }
}
