package dev.lathe.bench;

import dev.lathe.examples.BsrMatrix;
import dev.lathe.ir.DType;
import dev.lathe.measure.SearchTask;
import dev.lathe.measure.Target;
import dev.lathe.ops.Conv;
import dev.lathe.ops.Conv2dParams;
import dev.lathe.ops.Elementwise;
import dev.lathe.ops.Linalg;
import dev.lathe.ops.Norm;
import dev.lathe.ops.Padding2d;
import dev.lathe.ops.Reduction;
import dev.lathe.ops.Size2d;
import dev.lathe.ops.sparse.Bsr;
import dev.lathe.ops.sparse.BsrTensors;
import dev.lathe.ops.sparse.SparseConv;
import dev.lathe.ops.Layout;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import static dev.lathe.te.Te.placeholder;

/**
 * The single-operator workloads of the benchmark suite, by id (MM1, C1, S1, X1, ...), each as a
 * search task for a number of threads (sparse ones with their real index arrays as task inputs)
 * and its floating-point operation count (2 per multiply-add; for sparse ops the stored blocks).
 */
public final class Workloads {
    /** A named workload: its description, its flop count and how to make its search task. */
    public record Workload(String id, String description, double flops, IntFunction<SearchTask> task) {
    }

    private static final Map<String, Workload> ALL = new LinkedHashMap<>();

    static {
        add("MM1", "matmul 1024³", 2.0 * 1024 * 1024 * 1024, t -> dense(matmul(1024, 1024, 1024), t));
        add("MM1-512", "matmul 512³", 2.0 * 512 * 512 * 512, t -> dense(matmul(512, 512, 512), t));
        add("MM2", "batch matmul 12×128×128×64", 2.0 * 12 * 128 * 128 * 64, t -> dense(batchMatmul(12, 128, 128, 64), t));
        add("MM2b", "batch matmul 12×128×64×128", 2.0 * 12 * 128 * 64 * 128, t -> dense(batchMatmul(12, 128, 64, 128), t));
        add("C1", "conv2d NHWC 56×56, 64→64, 3×3, pad 1", conv(56, 64, 64, 3, 1), t -> dense(nhwc(56, 64, 64, 3, 1, 1, false), t));
        add("C1-NCHW", "conv2d NCHW 56×56, 64→64, 3×3, pad 1", conv(56, 64, 64, 3, 1), t -> dense(nchw(56, 64, 64, 3, 1, 1), t));
        add("C2", "conv2d NHWC 14×14, 256→256, 3×3, pad 1", conv(14, 256, 256, 3, 1), t -> dense(nhwc(14, 256, 256, 3, 1, 1, false), t));
        add("C3", "conv2d NHWC 7×7, 512→512, 3×3, pad 1", conv(7, 512, 512, 3, 1), t -> dense(nhwc(7, 512, 512, 3, 1, 1, false), t));
        add("C4", "conv2d NHWC 56×56, 64→256, 1×1", conv(56, 64, 256, 1, 1), t -> dense(nhwc(56, 64, 256, 1, 0, 1, false), t));
        add("C5", "conv2d NHWC 224×224, 3→64, 7×7, stride 2, pad 3", 2.0 * 112 * 112 * 64 * 3 * 49,
                t -> dense(nhwc(224, 3, 64, 7, 3, 2, false), t));
        add("C6", "conv2d NHWC 56×56, 64→64, 3×3, pad 1 + bias + relu", conv(56, 64, 64, 3, 1),
                t -> dense(nhwc(56, 64, 64, 3, 1, 1, true), t));
        add("D1", "depthwise conv2d NHWC 112×112, 32 channels, 3×3, pad 1", 2.0 * 112 * 112 * 32 * 9,
                t -> dense(depthwise(112, 32), t));
        add("R1", "softmax over rows, 128×1000", 5.0 * 128 * 1000, t -> dense(softmax(128, 1000), t));
        add("R2", "layer norm, 128×768", 8.0 * 128 * 768, t -> dense(layerNorm(128, 768), t));
        add("S1", "BSR × dense, 128×256 (16×1 blocks, density 0.6) · 256×512", s1Flops(), Workloads::s1);
        add("S1-dense", "matmul 128×256 · 256×512 (S1's dense equivalent)", 2.0 * 128 * 256 * 512,
                t -> dense(matmul(128, 512, 256), t));
        for (int pct : new int[]{50, 70, 90}) {
            add("S2-" + pct, "sparse conv2d NHWC 56×56, 64→64, 3×3, pad 1, weight BSR 16×1 at sparsity 0." + pct / 10,
                    s2Flops(pct / 100.0), t -> s2(pct / 100.0, t));
        }
        add("X1-prod2", "product of 2 elements", 2, t -> dense(ComputeDag.of(Reduction.prodAll(
                placeholder(List.of(2), DType.FLOAT32, "x"), "p")), t));
        add("X1-scalar", "sum of 1×4096 to a scalar", 4096, t -> dense(ComputeDag.of(Reduction.sumAll(
                placeholder(List.of(1, 4096), DType.FLOAT32, "x"), "s")), t));
    }

    private Workloads() {
    }

    public static Map<String, Workload> all() {
        return Map.copyOf(ALL);
    }

    public static List<String> ids() {
        return List.copyOf(ALL.keySet());
    }

    public static Workload get(String id) {
        Workload w = ALL.get(id);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload '" + id + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return w;
    }

    private static void add(String id, String description, double flops, IntFunction<SearchTask> task) {
        ALL.put(id, new Workload(id, description, flops, task));
    }

    private static SearchTask dense(ComputeDag dag, int threads) {
        return new SearchTask(dag, Target.host(), threads, Map.of());
    }

    private static double conv(int hw, int ci, int co, int k, int stride) {
        int out = hw / stride;
        return 2.0 * out * out * co * ci * k * k;
    }

    static ComputeDag matmul(int m, int n, int k) {
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        return ComputeDag.of(Linalg.matmul(a, b, "C"));
    }

    private static ComputeDag batchMatmul(int batch, int m, int n, int k) {
        Tensor a = placeholder(List.of(batch, m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(batch, k, n), DType.FLOAT32, "B");
        return ComputeDag.of(Linalg.batchMatmul(a, b, "C"));
    }

    private static ComputeDag nhwc(int hw, int ci, int co, int k, int pad, int stride, boolean biasRelu) {
        Tensor in = placeholder(List.of(1, hw, hw, ci), DType.FLOAT32, "data");
        Tensor w = placeholder(List.of(k, k, ci, co), DType.FLOAT32, "weight");
        Conv2dParams p = new Conv2dParams(Size2d.of(stride), Padding2d.of(pad), Size2d.of(1), 1);
        Tensor out = Conv.conv2dNhwc(in, w, p, "conv");
        if (biasRelu) {
            Tensor bias = placeholder(List.of(co), DType.FLOAT32, "bias");
            out = Elementwise.relu(Elementwise.biasAdd(out, bias, 3, "biased"), "relu");
        }
        return ComputeDag.of(out);
    }

    private static ComputeDag nchw(int hw, int ci, int co, int k, int pad, int stride) {
        Tensor in = placeholder(List.of(1, ci, hw, hw), DType.FLOAT32, "data");
        Tensor w = placeholder(List.of(co, ci, k, k), DType.FLOAT32, "weight");
        Conv2dParams p = new Conv2dParams(Size2d.of(stride), Padding2d.of(pad), Size2d.of(1), 1);
        return ComputeDag.of(Conv.conv2dNchw(in, w, p, "conv"));
    }

    private static ComputeDag depthwise(int hw, int c) {
        Tensor in = placeholder(List.of(1, hw, hw, c), DType.FLOAT32, "data");
        Tensor w = placeholder(List.of(3, 3, c, 1), DType.FLOAT32, "weight");
        Conv2dParams p = new Conv2dParams(Size2d.of(1), Padding2d.of(1), Size2d.of(1), 1);
        return ComputeDag.of(Conv.depthwiseConv2dNhwc(in, w, p, "dwconv"));
    }

    private static ComputeDag softmax(int rows, int cols) {
        return ComputeDag.of(Norm.softmax(placeholder(List.of(rows, cols), DType.FLOAT32, "x"), 1, "softmax"));
    }

    private static ComputeDag layerNorm(int rows, int cols) {
        Tensor x = placeholder(List.of(rows, cols), DType.FLOAT32, "x");
        Tensor gamma = placeholder(List.of(cols), DType.FLOAT32, "gamma");
        Tensor beta = placeholder(List.of(cols), DType.FLOAT32, "beta");
        return ComputeDag.of(Norm.layerNorm(x, gamma, beta, 1e-5, "layer_norm"));
    }

    /** S1 with a fixed random structure (seed 0): the task carries the real data, indices and indptr. */
    private static SearchTask s1(int threads) {
        BsrMatrix a = BsrMatrix.random(128, 256, 16, 1, 0.6, new Random(0));
        BsrTensors t = BsrTensors.placeholders(128, 256, 16, 1, a.nnzBlocks(), "A");
        Tensor b = placeholder(List.of(256, 512), DType.FLOAT32, "B");
        ComputeDag dag = ComputeDag.of(Bsr.bsrMatmul(t, b, "C"));
        Map<Tensor, NDArray> inputs = Map.of(t.data(), a.dataArray(), t.indices(), a.indicesArray(),
                t.indptr(), a.indptrArray());
        return new SearchTask(dag, Target.host(), threads, inputs);
    }

    /** S2's weight: 64 × (3·3·64) in 16 × 1 blocks, pruned to {@code sparsity} from a seeded random matrix. */
    private static dev.lathe.ops.sparse.BsrMatrix s2Weight(double sparsity) {
        return dev.lathe.ops.sparse.BsrMatrix.random(64, 3 * 3 * 64, 16, 1, sparsity, new Random(0));
    }

    /** S2 at {@code sparsity}: the direct sparse conv2d, the task carrying the weight's real arrays. */
    private static SearchTask s2(double sparsity, int threads) {
        var w = s2Weight(sparsity);
        BsrTensors t = BsrTensors.placeholders(64, 3 * 3 * 64, 16, 1, w.nnzBlocks(), "W");
        Tensor in = placeholder(List.of(1, 56, 56, 64), DType.FLOAT32, "data");
        Tensor out = SparseConv.conv2d(in, t, new SparseConv.Kernel(3, 3), Conv2dParams.DEFAULT.withPadding(1),
                Layout.NHWC, "conv");
        return new SearchTask(ComputeDag.of(out), Target.host(), threads, w.bind(t));
    }

    /** S2's flops: 2 per multiply-add of the stored weight values at each of the 56 × 56 outputs. */
    public static double s2Flops(double sparsity) {
        return 2.0 * s2Weight(sparsity).nnz() * 56 * 56;
    }

    /** S1's flops: 2 per multiply-add of the stored blocks. */
    public static double s1Flops() {
        return 2.0 * BsrMatrix.random(128, 256, 16, 1, 0.6, new Random(0)).nnzBlocks() * 16 * 512;
    }
}
