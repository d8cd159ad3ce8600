package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ops.GraphNaiveOps.Nd;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.ops.TransformTest.f32;
import static dev.lathe.ops.TransformTest.input;
import static dev.lathe.ops.TransformTest.matches;
import static dev.lathe.te.Te.placeholder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Activations, broadcast arithmetic, products and reductions of whole-model graphs: each compiled
 * under the default schedule, checked against the reference evaluator by {@link KernelCheck}, and
 * the result against plain Java.
 */
class GraphMathTest {
    private static Nd map(Nd x, DoubleUnaryOperator f) {
        float[] out = new float[x.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) f.applyAsDouble(x.data()[i]);
        }
        return new Nd(out, x.shape());
    }

    /** Inputs spread over [-4, 4) so that the tails of erf, tanh and sigmoid are exercised. */
    private static NDArray wide(int seed, int... shape) {
        float[] v = TestData.random(new java.util.Random(seed), NaiveOps.size(shape));
        for (int i = 0; i < v.length; i++) {
            v[i] *= 4;
        }
        return NDArray.of(v, java.util.Arrays.stream(shape).asLongStream().toArray());
    }

    @Test
    void activationsAgainstJavaMath() {
        Tensor x = f32("x", 3, 17);
        Tensor leaky = Activation.leakyRelu(x, 0.1, "leaky");
        Tensor clip = Activation.clip(x, -0.5, 2.0, "clip");
        Tensor clipLow = Activation.clip(x, 0.25, null, "clip_low");
        Tensor erf = Activation.erf(x, "erf");
        Tensor gelu = Activation.gelu(x, false, "gelu");
        Tensor geluTanh = Activation.gelu(x, true, "gelu_tanh");
        Tensor sigmoid = Activation.sigmoid(x, "sigmoid");
        Tensor tanh = Activation.tanh(x, "tanh");
        Tensor exp = Activation.exp(x, "exp");
        Tensor sqrt = Activation.sqrt(Elementwise.map(x, e -> e.mul(e), "sq"), "sqrt");
        KernelCheck.Result r = KernelCheck.of(leaky, clip, clipLow, erf, gelu, geluTanh, sigmoid, tanh, exp, sqrt)
                .name("activations").input(x, wide(801, 3, 17)).run();
        Nd in = input(r, x);
        matches(map(in, v -> v >= 0 ? v : 0.1f * (float) v), r, leaky);
        matches(map(in, v -> Math.min(Math.max(v, -0.5), 2.0)), r, clip);
        matches(map(in, v -> Math.max(v, 0.25)), r, clipLow);
        matches(map(in, NaiveOps::erf), r, erf, 1e-6);
        matches(map(in, v -> v / 2 * (1 + NaiveOps.erf(v / Math.sqrt(2)))), r, gelu, 1e-6);
        matches(map(in, v -> v / 2 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))), r, geluTanh, 1e-6);
        matches(map(in, v -> 1 / (1 + Math.exp(-v))), r, sigmoid, 1e-6);
        matches(map(in, Math::tanh), r, tanh, 1e-6);
        matches(map(in, Math::exp), r, exp, 1e-6);
        matches(map(in, Math::abs), r, sqrt, 1e-6);
        assertRejected(() -> Activation.erf(placeholder(List.of(3), DType.INT32, "i"), "e"), "erf", "float");
        assertRejected(() -> Activation.clip(x, Double.NaN, 1.0, "c"), "NaN");
    }

    @Test
    void clipOnIntegers() {
        Tensor x = placeholder(List.of(4, 5), DType.INT32, "x");
        Tensor c = Activation.clip(x, -20, 30, "clip");
        KernelCheck.Result r = KernelCheck.of(c).name("iclip").seed(802).run();
        long[] in = r.inputs().get(x).toLongArray();
        long[] out = r.compiled(c).toLongArray();
        for (int i = 0; i < in.length; i++) {
            assertEquals(Math.clamp(in[i], -20, 30), out[i]);
        }
    }

    @Test
    void broadcastArithmeticPowerDivisionAndCast() {
        Tensor a = f32("a", 2, 1, 4);
        Tensor b = f32("b", 3, 1);
        Tensor sub = Elementwise.subtract(a, b);
        Tensor div = Elementwise.divide(a, b);
        Tensor pow = Elementwise.power(Elementwise.map(a, e -> e.mul(e).add(0.5f), "base"), b);
        Tensor scalar = f32("s");
        Tensor mul = Elementwise.multiply(scalar, a);
        Tensor toInt = Elementwise.cast(Elementwise.map(a, e -> e.mul(50f), "scaled"), DType.INT32, "to_int");
        KernelCheck.Result r = KernelCheck.of(sub, div, pow, mul, toInt).name("bcast").seed(803).run();
        float[] av = input(r, a).data();
        float[] bv = input(r, b).data();
        int[] as = {2, 1, 4};
        int[] bs = {3, 1};
        int[] out = {2, 3, 4};
        matches(new Nd(NaiveOps.broadcastBinary(av, as, bv, bs, (x, y) -> x - y), out), r, sub);
        matches(new Nd(NaiveOps.broadcastBinary(av, as, bv, bs, (x, y) -> (float) x / (float) y), out), r, div, 1e-5);
        matches(new Nd(NaiveOps.broadcastBinary(av, as, bv, bs, (x, y) -> Math.pow((float) (x * x) + 0.5f, y)), out), r, pow, 1e-5);
        matches(new Nd(NaiveOps.broadcastBinary(av, as, input(r, scalar).data(), new int[0], (x, y) -> x * y), as), r, mul);
        long[] ints = r.compiled(toInt).toLongArray();
        for (int i = 0; i < av.length; i++) {
            assertEquals((long) (av[i] * 50f), ints[i], "cast truncates toward zero");
        }
        Tensor ia = placeholder(List.of(6), DType.INT32, "ia");
        Tensor ib = placeholder(List.of(6), DType.INT32, "ib");
        Tensor trunc = Elementwise.truncDivide(ia, ib);
        KernelCheck.Result ri = KernelCheck.of(trunc).name("trunc_div")
                .input(ia, NDArray.of(new int[] {7, -7, 7, -7, 0, -1}, 6))
                .input(ib, NDArray.of(new int[] {2, 2, -2, -2, 3, 5}, 6)).run();
        assertArrayEquals(new long[] {3, -3, -3, 3, 0, 0}, ri.compiled(trunc).toLongArray());
        assertRejected(() -> Elementwise.power(placeholder(List.of(2), DType.INT32, "p"), placeholder(List.of(2), DType.INT32, "q")),
                "power", "float");
    }

    @Test
    void gemmWithTransposesScalesAndBroadcastC() {
        int seed = 810;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                Tensor a = transA ? f32("A", 5, 3) : f32("A", 3, 5);
                Tensor b = transB ? f32("B", 4, 5) : f32("B", 5, 4);
                Tensor c = transA == transB ? f32("C", 4) : f32("C", 3, 1);
                Tensor y = Linalg.gemm(a, b, c, 0.5, 2.0, transA, transB, "gemm");
                KernelCheck.Result r = KernelCheck.of(y).name("gemm").seed(seed++).run();
                float[] av = input(r, a).data();
                float[] bv = input(r, b).data();
                float[] am = transA ? NaiveOps.transpose(av, 5, 3) : av;
                float[] bm = transB ? NaiveOps.transpose(bv, 4, 5) : bv;
                float[] ab = NaiveOps.matmul(am, bm, 3, 5, 4);
                Nd cv = input(r, c);
                float[] expected = NaiveOps.broadcastBinary(ab, new int[] {3, 4}, cv.data(), cv.shape(), (p, q) -> 0.5 * p + 2.0 * q);
                matches(new Nd(expected, new int[] {3, 4}), r, y, 1e-5);
            }
        }
        Tensor plain = Linalg.gemm(f32("A", 3, 5), f32("B", 5, 4), null, 1, 1, false, false, "plain");
        assertEquals(2, TestData.opCount(plain) - 1, "one compute stage without C or alpha");
        assertRejected(() -> Linalg.gemm(f32("A", 3, 5), f32("B", 4, 5), null, 1, 1, false, false, "g"), "inner dimensions");
        assertRejected(() -> Linalg.gemm(f32("A", 3, 5), f32("B", 5, 4), f32("C", 2, 4), 1, 1, false, false, "g"), "broadcast");
    }

    @Test
    void matmulNdBroadcastsBatchesAndPromotesVectors() {
        int[][][] cases = {
                {{2, 3, 4}, {4, 5}},
                {{3, 1, 2, 4}, {2, 4, 3}},
                {{4}, {2, 4, 3}},
                {{2, 3, 4}, {4}},
                {{4}, {4}},
                {{1, 3, 4}, {5, 4, 2}},
        };
        int seed = 820;
        for (int[][] c : cases) {
            Tensor a = f32("A", c[0]);
            Tensor b = f32("B", c[1]);
            Tensor y = Linalg.matmulNd(a, b, "matmul");
            KernelCheck.Result r = KernelCheck.of(y).name("matmul_nd").seed(seed++).run();
            matches(GraphNaiveOps.matmulNd(input(r, a), input(r, b)), r, y, 1e-5);
        }
        assertRejected(() -> Linalg.matmulNd(f32("A", 2, 3), f32("B", 4, 2), "m"), "inner dimensions");
        assertRejected(() -> Linalg.matmulNd(f32("A", 2, 2, 3), f32("B", 3, 3, 2), "m"), "do not broadcast");
    }

    @Test
    void reductionsOverAxesWithAndWithoutKeepDims() {
        Tensor x = f32("x", 3, 4, 5);
        int[][] axesCases = {{1}, {-1, 0}, {0, 1, 2}, {}};
        int seed = 830;
        for (int[] axes : axesCases) {
            for (Reduction.Kind kind : Reduction.Kind.values()) {
                {
                    boolean keep = seed % 2 == 0; // both settings over the cases, half the kernels
                    Tensor y = Reduction.reduceAxes(x, kind, axes, keep, false, "reduce");
                    KernelCheck.Result r = KernelCheck.of(y).name("reduce").seed(seed++).run();
                    int[] norm = axes.length == 0 ? new int[] {0, 1, 2}
                            : java.util.Arrays.stream(axes).map(a -> a < 0 ? a + 3 : a).toArray();
                    matches(GraphNaiveOps.reduce(input(r, x), kind, norm, keep), r, y, 1e-5);
                }
            }
        }
        Tensor noop = Reduction.reduceAxes(x, Reduction.Kind.SUM, new int[0], true, true, "noop");
        assertEquals("[3, 4, 5]", noop.shape().toString());
        assertRejected(() -> Reduction.reduceAxes(x, Reduction.Kind.SUM, new int[] {1, -2}, true, false, "r"), "twice");
        assertRejected(() -> Reduction.reduceAxes(placeholder(List.of(3), DType.INT32, "i"), Reduction.Kind.MEAN,
                null, true, false, "r"), "reduceMean", "float");
    }
}
