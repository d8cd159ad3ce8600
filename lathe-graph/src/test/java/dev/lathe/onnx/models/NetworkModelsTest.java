package dev.lathe.onnx.models;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.lathe.graph.Graph;
import dev.lathe.graph.GraphExecutor;
import dev.lathe.graph.compile.CompiledNetwork;
import dev.lathe.graph.compile.NetworkCompiler;
import dev.lathe.graph.pass.ConstantFolding;
import dev.lathe.graph.pass.FoldBatchNorm;
import dev.lathe.ir.DType;
import dev.lathe.onnx.OnnxImporter;
import dev.lathe.records.RecordReader;
import dev.lathe.runtime.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated networks (N2 ResNet-18, N3 transformer block) imported and run by Lathe (the
 * per-node executor, the fused network under the static mode, the fused network tuned with a tiny
 * budget), compared with ONNX Runtime on the same model file and input.
 *
 * <p>Tolerance: {@code |lathe - ort| <= ATOL·max|ort| + RTOL·|ort|} element-wise. Both compute in
 * float32 but add in different orders (Lathe's loop nests split and vectorize reductions, ONNX
 * Runtime's kernels block and fuse them), so each dot product of K terms differs by a few ulps
 * times sqrt(K) of its terms' magnitude, and the differences compound through the layers. An error
 * in indexing, padding, broadcasting or an operator's formula is of the order of the values
 * themselves, far above this bound.
 */
class NetworkModelsTest {
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;
    static final int TUNING_TRIALS = 4;
    static final long[] N3_SHAPE = {1, TransformerBlock.N3.seq(), TransformerBlock.N3.hidden()};

    @Test
    void resnet18TopologyIsTheRealOne() {
        Map<String, Long> ops = ResNet18.build(7).getGraph().getNodeList().stream()
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
        // 1 stem + 16 block convolutions + 3 downsampling projections, each with its batch norm.
        assertEquals(20L, ops.get("Conv"));
        assertEquals(20L, ops.get("BatchNormalization"));
        assertEquals(8L, ops.get("Add"));
        assertEquals(17L, ops.get("Relu"));
        assertEquals(1L, ops.get("MaxPool"));
        assertEquals(1L, ops.get("Gemm"));
        Graph g = OnnxImporter.fromModel(ResNet18.build(7), "resnet18");
        assertEquals("float32[1,1000]", g.types().get("logits").toString());
    }

    @Test
    void sameSeedSameModelOtherSeedOtherWeights() {
        assertArrayEquals(ResNet18.build(3, 64).toByteArray(), ResNet18.build(3, 64).toByteArray());
        assertFalse(Arrays.equals(ResNet18.build(3, 64).toByteArray(), ResNet18.build(4, 64).toByteArray()));
        assertArrayEquals(TransformerBlock.build(3).toByteArray(), TransformerBlock.build(3).toByteArray());
    }

    @Test
    void badSizesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ResNet18.build(1, 100));
        assertTrue(e.getMessage().contains("multiple of 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TransformerBlock.Shape(128, 768, 10, 3072));
    }

    /** N2 as specified (224×224), fused: about 20 s to compile and run with a cold compiler cache on two cores. */
    @Test
    void resnet18MatchesOnnxRuntime() {
        CompiledNetwork[] net = new CompiledNetwork[1];
        compare(ResNet18.build(42), "data", new long[]{1, 3, 224, 224}, "logits", "fused, NHWC",
                g -> (net[0] = NetworkCompiler.compile(g))::run);
        Map<String, NDArray> in = Map.of("data", NDArray.random(DType.FLOAT32, new Random(2), 1, 3, 224, 224));
        CompiledNetwork.MemoryUse use = net[0].memoryUse(in);
        System.out.printf("resnet18 intermediates: %d bytes planned, %d bytes unshared%n", use.plannedBytes(),
                use.unsharedBytes());
        assertTrue(use.plannedBytes() * 2 < use.unsharedBytes(), use.toString());
        // A second run reuses the first one's intermediate buffers; the first run's output stays as it was.
        NDArray first = net[0].run(in).get("logits");
        float[] kept = first.toFloatArray();
        assertArrayEquals(kept, net[0].run(in).get("logits").toFloatArray(), 0f);
        assertArrayEquals(kept, first.toFloatArray(), 0f);
    }

    /** The fused network in the model's own NCHW layout (all passes but the layout conversion), at 64×64. */
    @Test
    void resnet18SmallFusedNchwMatchesOnnxRuntime() {
        compare(ResNet18.build(42, 64), "data", new long[]{1, 3, 64, 64}, "logits", "fused, NCHW",
                NetworkModelsTest::fusedNchw);
    }

    /** The per-node executor on every layer, at 64×64 to keep the unit test short. */
    @Test
    void resnet18SmallPerNodeMatchesOnnxRuntime() {
        compare(ResNet18.build(42, 64), "data", new long[]{1, 3, 64, 64}, "logits", "per node",
                g -> GraphExecutor.staticMode(g)::run);
    }

    /** The fused network after constant and batch-norm folding, in the model's NCHW layout. */
    static Function<Map<String, NDArray>, Map<String, NDArray>> fusedNchw(Graph g) {
        Graph folded = ConstantFolding.run(FoldBatchNorm.run(ConstantFolding.run(g)));
        return NetworkCompiler.compile(folded, null, NetworkCompiler.Options.defaults().withOptimize(false))::run;
    }

    @Test
    void transformerBlockMatchesOnnxRuntime() {
        compare(TransformerBlock.build(42), "x", N3_SHAPE, "y", "per node", g -> GraphExecutor.staticMode(g)::run);
        compare(TransformerBlock.build(42), "x", N3_SHAPE, "y", "fused", g -> NetworkCompiler.compile(g)::run);
    }

    /**
     * N3 tuned with a tiny budget shared by its tasks: tuned kernels replace static ones only where a
     * trial measured, and whatever was chosen must still compute the block.
     */
    @Test
    void transformerBlockTunedMatchesOnnxRuntime(@TempDir Path dir) {
        Path records = dir.resolve("n3.jsonl");
        compare(TransformerBlock.build(42), "x", N3_SHAPE, "y", "tuned",
                g -> NetworkCompiler.tune(g, TUNING_TRIALS, records)::run);
        assertTrue(RecordReader.read(records).records().size() >= TUNING_TRIALS, "the trials are recorded");
    }

    static void compare(ModelProto model, String input, long[] shape, String output, String how,
                        Function<Graph, Function<Map<String, NDArray>, Map<String, NDArray>>> lathe) {
        NDArray x = NDArray.random(DType.FLOAT32, new Random(1), shape);
        long t0 = System.nanoTime();
        Graph g = OnnxImporter.fromModel(model, model.getGraph().getName());
        NDArray got = lathe.apply(g).apply(Map.of(input, x)).get(output);
        double first = (System.nanoTime() - t0) / 1e9;
        NDArray want = OrtReference.run(model.toByteArray(), Map.of(input, x)).get(output);
        assertArrayEquals(want.shape(), got.shape());
        double scale = 0;
        for (long i = 0; i < want.size(); i++) {
            scale = Math.max(scale, Math.abs(want.getDouble(i)));
        }
        assertTrue(scale > 1e-3, "the reference output is all but zero: the comparison would prove nothing");
        double worst = 0;
        for (long i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            double diff = Math.abs(got.getDouble(i) - w);
            worst = Math.max(worst, diff / (ATOL * scale + RTOL * Math.abs(w)));
            if (!(diff <= ATOL * scale + RTOL * Math.abs(w))) {
                throw new AssertionError(model.getGraph().getName() + " (" + how + ") output " + output + "[" + i + "]: lathe "
                        + got.getDouble(i) + ", onnxruntime " + w + " (max |ort| " + scale + ")");
            }
        }
        System.out.printf("%s %s (%s): import + compile + first run %.1f s, max |ort| %.3g, worst error %.2f of the "
                + "tolerance%n", model.getGraph().getName(), Arrays.toString(shape), how, first, scale, worst);
    }
}
