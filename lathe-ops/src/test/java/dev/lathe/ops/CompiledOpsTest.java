package dev.lathe.ops;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IterVar;
import dev.lathe.ir.Reducer;
import dev.lathe.ir.Var;
import dev.lathe.runtime.Module;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.reduce;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Compiled kernels (default schedule) against the reference evaluator, one test per operator of
 * the ops library. Shapes are small so that the slow evaluator stays fast.
 */
class CompiledOpsTest {
    private static Tensor f32(String name, Object... shape) {
        return placeholder(List.of(shape), DType.FLOAT32, name);
    }

    @Test
    void matmul() {
        Tensor c = Linalg.matmul(f32("A", 13, 7), f32("B", 7, 9), "C");
        KernelCheck.of(c).name("matmul").seed(101).run();
    }

    @Test
    void batchMatmul() {
        Tensor c = Linalg.batchMatmul(f32("A", 3, 4, 5), f32("B", 3, 5, 6), "C");
        KernelCheck.of(c).name("batch_matmul").seed(102).run();
    }

    @Test
    void matmulTransposedB() {
        Tensor y = Linalg.matmulTransposedB(f32("X", 5, 8), f32("W", 6, 8));
        KernelCheck.of(y).name("dense").seed(103).run();
    }

    @Test
    void symbolicMatmulOneModuleAtTwoSizes() {
        Var m = sizeVar("M");
        Var k = sizeVar("K");
        Var n = sizeVar("N");
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        ComputeDag dag = ComputeDag.of(Linalg.matmul(a, b, "C"));
        KernelCheck.Result first = KernelCheck.of(dag).name("matmul_sym").seed(104)
                .size(m, 5).size(k, 3).size(n, 7).run();
        Module module = first.module();
        // The same module, sizes bound from the shapes of the arrays passed in.
        KernelCheck.Result second = KernelCheck.of(dag).module(module).name("matmul_sym").seed(105)
                .size(m, 11).size(k, 9).size(n, 4).run();
        assertSame(module, second.module());
        assertArrayEquals(new long[] {5, 7}, first.compiled(dag.outputs().getFirst()).shape());
        assertArrayEquals(new long[] {11, 4}, second.compiled(dag.outputs().getFirst()).shape());
    }

    @ParameterizedTest
    @MethodSource("dev.lathe.ops.ConvTest#convCases")
    void conv2dNchw(int n, int c, int h, int w, int co, int kh, int kw, Conv2dParams p) {
        Tensor out = Conv.conv2dNchw(f32("data", n, c, h, w), f32("kernel", co, c / p.groups(), kh, kw), p);
        KernelCheck.of(out).name("conv2d_nchw").seed(201).run();
    }

    @ParameterizedTest
    @MethodSource("dev.lathe.ops.ConvTest#convCases")
    void conv2dNhwc(int n, int c, int h, int w, int co, int kh, int kw, Conv2dParams p) {
        Tensor out = Conv.conv2dNhwc(f32("data", n, h, w, c), f32("kernel", kh, kw, c / p.groups(), co), p);
        KernelCheck.of(out).name("conv2d_nhwc").seed(202).run();
    }

    @Test
    void depthwiseConv2dBothLayoutsWithChannelMultiplier() {
        Conv2dParams p = Conv2dParams.DEFAULT.withPadding(1, 0, 1, 2).withStride(1, 2).withDilation(2, 1);
        for (int mult : new int[] {1, 2}) {
            Tensor nchw = Conv.depthwiseConv2dNchw(f32("data", 2, 3, 7, 6), f32("kernel", 3, mult, 3, 2), p);
            KernelCheck.of(nchw).name("dw_nchw").seed(210 + mult).run();
            Tensor nhwc = Conv.depthwiseConv2dNhwc(f32("data", 2, 7, 6, 3), f32("kernel", 3, 2, 3, mult), p);
            KernelCheck.of(nhwc).name("dw_nhwc").seed(220 + mult).run();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void maxAndAvgPooling(Layout layout) {
        List<Pool2dParams> cases = List.of(Pool2dParams.of(2), Pool2dParams.of(3, 2, 1),
                new Pool2dParams(Size2d.of(3, 2), Size2d.of(1, 2), Padding2d.of(2, 0, 1, 1)));
        Object[] shape = layout == Layout.NCHW ? new Object[] {2, 3, 7, 6} : new Object[] {2, 7, 6, 3};
        int seed = 300;
        for (Pool2dParams p : cases) {
            Tensor x = f32("x", shape);
            KernelCheck.of(Pool.maxPool2d(x, p, layout), Pool.avgPool2d(x, p, layout)).name("pool").seed(seed++).run();
        }
    }

    @Test
    void softmax() {
        Tensor x = f32("x", 3, 4, 5);
        KernelCheck.of(Norm.softmax(x, 1)).name("softmax_mid").seed(401).run();
        KernelCheck.of(Norm.softmax(x, -1)).name("softmax_last").seed(402).run();
    }

    @Test
    void layerNorm() {
        Tensor y = Norm.layerNorm(f32("x", 2, 3, 16), f32("gamma", 16), f32("beta", 16), 1e-5);
        KernelCheck.of(y).name("layer_norm").seed(403).run();
    }

    @Test
    void prodOverExactlyTwoElements() {
        Tensor two = f32("two", 2);
        Tensor p = Reduction.prodAll(two);
        KernelCheck.Result r = KernelCheck.of(p).name("prod2")
                .input(two, NDArray.of(new float[] {-2.5f, 3f}, 2)).run();
        assertEquals(0, r.compiled(p).ndim());
        assertEquals(-7.5, r.compiled(p).getDouble(0));
    }

    @Test
    void reductionsToAScalar() {
        Tensor x = f32("x", 4, 6);
        Tensor s = Reduction.sumAll(x);
        Tensor p = Reduction.prodAll(x);
        KernelCheck.Result r = KernelCheck.of(s, p).name("sum_all").seed(404).run();
        assertEquals(0, r.compiled(s).ndim());
        assertEquals(1, r.compiled(s).size());
        Tensor i = placeholder(List.of(5, 3), DType.INT32, "i");
        KernelCheck.of(Reduction.sumAll(i)).name("isum_all").seed(405).run();
    }

    @Test
    void argmaxAndArgmin() {
        Tensor x = f32("x", 3, 4, 5);
        float[] v = new float[60];
        for (int e = 0; e < v.length; e++) {
            v[e] = (e * 7 % 11) / 4f - 1; // repeated values: ties go to the smaller index
        }
        for (int axis = 0; axis < 3; axis++) {
            ArgResult mx = Reduction.argmax(x, axis);
            ArgResult mn = Reduction.argmin(x, axis, DType.INT32, "amin");
            KernelCheck.Result r = KernelCheck.of(mx.index(), mx.value(), mn.index(), mn.value()).name("arg")
                    .input(x, NDArray.of(v, 3, 4, 5)).run();
            NaiveOps.Arg expected = NaiveOps.argmax(v, new int[] {3, 4, 5}, axis);
            assertArrayEquals(expected.index(),
                    r.compiled(mx.index()).toLongArray());
        }
    }

    @Test
    void customReducerSumOfSquaresAndMaxAbs() {
        // A two-value reducer: (sum of squares, largest magnitude) of each row, with a condition.
        Reducer r = Reducer.define("sumsq_maxabs", List.of(DType.FLOAT32, DType.FLOAT32),
                (a, b) -> List.<Expr>of(a.get(0).add(b.get(0)), a.get(1).max(b.get(1))), List.of(0.0, 0.0));
        Tensor x = f32("x", 5, 9);
        IterVar k = reduceAxis(0, 9, "k");
        List<Tensor> out = dev.lathe.te.Te.computeMulti(List.of(5), i -> reduce(r,
                List.of(x.get(i.getFirst(), k.var()).mul(x.get(i.getFirst(), k.var())),
                        dev.lathe.te.Te.abs(x.get(i.getFirst(), k.var()))),
                k.var().floormod(3).ne(1L), k), "stats");
        KernelCheck.of(out.get(0), out.get(1)).name("custom_reducer").seed(501).run();
    }

    @Test
    void broadcastingElementwiseChain() {
        // (A[n, 1, w] + B[h, 1]) * C[w] -> relu -> cast to int32 and to float16
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n, 1, 5), DType.FLOAT32, "A");
        Tensor b = f32("B", 4, 1);
        Tensor c = f32("C", 5);
        Tensor sum = Elementwise.add(a, b);
        Tensor prod = Elementwise.multiply(sum, c);
        Tensor relu = Elementwise.relu(prod);
        Tensor scaled = Elementwise.map(relu, e -> e.mul(100f), "scaled");
        Tensor asInt = Elementwise.cast(scaled, DType.INT32, "as_int");
        Tensor asHalf = Elementwise.cast(relu, DType.FLOAT16, "as_half");
        KernelCheck.Result r = KernelCheck.of(asInt, asHalf).name("bcast_chain").seed(601).size(n, 3).run();
        assertArrayEquals(new long[] {3, 4, 5}, r.compiled(asInt).shape());
    }

    @Test
    void computeWithATensorExpressionWrittenByHand() {
        // Elementwise math beyond the library: exp, tanh, select on a comparison, min/max.
        Tensor x = f32("x", 6, 7);
        Tensor y = compute(List.of(6, 7), (i, j) -> dev.lathe.te.Te.select(x.get(i, j).gt(0f),
                dev.lathe.te.Te.tanh(x.get(i, j)).mul(2f), dev.lathe.te.Te.exp(x.get(i, j)).sub(1f)).max(-0.5f)
                .min(x.get(j.floormod(6), i)), "y");
        KernelCheck.of(y).name("handwritten").seed(602).run();
    }
}
