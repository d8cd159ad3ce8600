package dev.lathe.ops;

import dev.lathe.ir.BinaryOp;
import dev.lathe.ir.DType;
import dev.lathe.ir.Var;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.ops.TestData.opCount;
import static dev.lathe.ops.TestData.random;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ElementwiseTest {
    private final Random rnd = new Random(3);

    private static List<Object> dims(int[] s) {
        return java.util.Arrays.stream(s).boxed().map(i -> (Object) i).toList();
    }

    @Test
    void reluAndBiasAdd() {
        Tensor x = placeholder(List.of(2, 3, 4), DType.FLOAT32, "x");
        Tensor r = Elementwise.relu(x);
        assertEquals("[2, 3, 4]", r.shape().toString());
        assertEquals(2, opCount(r));
        float[] xv = random(rnd, 24);
        assertClose(NaiveOps.relu(xv), TestData.reference(ComputeDag.of(r), Map.of(x, TestData.doubles(xv))).get(r).toFloatArray());

        for (int axis : new int[] {1, -1}) {
            int a = axis < 0 ? 3 + axis : axis;
            int len = new int[] {2, 3, 4}[a];
            Tensor bias = placeholder(List.of(len), DType.FLOAT32, "bias");
            Tensor y = Elementwise.biasAdd(x, bias, axis);
            float[] bv = random(rnd, len);
            var ev = TestData.reference(ComputeDag.of(y), Map.of(x, TestData.doubles(xv), bias, TestData.doubles(bv)));
            assertClose(NaiveOps.biasAdd(xv, new int[] {2, 3, 4}, bv, a), ev.get(y).toFloatArray());
        }
        assertRejected(() -> Elementwise.biasAdd(x, placeholder(List.of(4), DType.FLOAT32, "b"), 1),
                "dimension 1", "3 and 4");
        assertRejected(() -> Elementwise.biasAdd(x, placeholder(List.of(4), DType.FLOAT32, "b"), 3), "axis 3", "rank 3");
    }

    @Test
    void broadcastShapes() {
        Var n = sizeVar("n");
        Var m = sizeVar("m");
        assertEquals("[2, 3, 4]", Elementwise.broadcastShape(Dims0.of(2, 3, 4), Dims0.of(4)).toString());
        assertEquals("[2, 3, 4]", Elementwise.broadcastShape(Dims0.of(2, 1, 4), Dims0.of(3, 1)).toString());
        assertEquals("[n, 4]", Elementwise.broadcastShape(Dims0.of(n, 4), Dims0.of(1, 4)).toString());
        assertEquals("[n, 4]", Elementwise.broadcastShape(Dims0.of(1), Dims0.of(n, 4)).toString());
        assertEquals("[n, m]", Elementwise.broadcastShape(Dims0.of(n, 1), Dims0.of(m)).toString());
        assertEquals("[]", Elementwise.broadcastShape(List.of(), List.of()).toString());
        assertRejected(() -> Elementwise.broadcastShape(Dims0.of(3), Dims0.of(4)), "do not broadcast", "3 against 4");
        assertRejected(() -> Elementwise.broadcastShape(Dims0.of(n, 4), Dims0.of(m, 4)), "same size variable");
        assertRejected(() -> Elementwise.broadcastShape(Dims0.of(n), Dims0.of(4)), "n against 4");
    }

    @Test
    void broadcastArithmeticMatchesNaive() {
        int[][][] cases = {{{2, 3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{1}, {2, 2}}, {{3, 1}, {1, 5}}, {{2, 3}, {2, 3}}};
        for (int[][] c : cases) {
            Tensor a = placeholder(dims(c[0]), DType.FLOAT32, "a");
            Tensor b = placeholder(dims(c[1]), DType.FLOAT32, "b");
            float[] av = random(rnd, NaiveOps.size(c[0]));
            float[] bv = random(rnd, NaiveOps.size(c[1]));
            Tensor sum = Elementwise.add(a, b);
            Tensor prod = Elementwise.multiply(a, b);
            Tensor custom = Elementwise.broadcastBinary(a, b, (x, y) -> x.mul(y).add(x), "fma_like");
            Tensor max = Elementwise.broadcastBinary(a, b, BinaryOp.MAX, "mx");
            assertEquals(4 + 2 - 2, opCount(sum, prod, custom, max) - 2); // 4 computes over 2 inputs
            var ev = TestData.reference(ComputeDag.of(sum, prod, custom, max),
                    Map.of(a, TestData.doubles(av), b, TestData.doubles(bv)));
            assertClose(NaiveOps.broadcastBinary(av, c[0], bv, c[1], Double::sum), ev.get(sum).toFloatArray());
            assertClose(NaiveOps.broadcastBinary(av, c[0], bv, c[1], (x, y) -> x * y), ev.get(prod).toFloatArray());
            assertClose(NaiveOps.broadcastBinary(av, c[0], bv, c[1], (x, y) -> x * y + x), ev.get(custom).toFloatArray());
            assertClose(NaiveOps.broadcastBinary(av, c[0], bv, c[1], Math::max), ev.get(max).toFloatArray());
            assertArrayEquals(NaiveOps.broadcastShape(c[0], c[1]),
                    sum.shape().stream().mapToInt(d -> (int) Dims.constant(d).getAsLong()).toArray());
        }
    }

    @Test
    void symbolicBroadcastEvaluates() {
        Var n = sizeVar("n");
        Tensor a = placeholder(List.of(n, 3), DType.FLOAT32, "a");
        Tensor b = placeholder(List.of(3), DType.FLOAT32, "b");
        Tensor s = Elementwise.subtract(a, b);
        assertEquals("[n, 3]", s.shape().toString());
        float[] av = random(rnd, 6);
        float[] bv = random(rnd, 3);
        var ev = TestData.reference(ComputeDag.of(s), Map.of(a, TestData.doubles(av), b, TestData.doubles(bv)), Map.of(n, 2L));
        assertClose(NaiveOps.broadcastBinary(av, new int[] {2, 3}, bv, new int[] {3}, (x, y) -> x - y), ev.get(s).toFloatArray());
    }

    @Test
    void integerDivisionFloorsAndDtypesMustMatch() {
        Tensor a = placeholder(List.of(2), DType.INT32, "a");
        Tensor b = placeholder(List.of(1), DType.INT32, "b");
        Tensor q = Elementwise.divide(a, b);
        assertEquals(DType.INT32, q.dtype());
        double[] v = TestData.reference(ComputeDag.of(q), Map.of(a, new double[] {7, -7}, b, new double[] {2})).get(q).toDoubleArray();
        assertArrayEquals(new double[] {3, -4}, v);
        assertRejected(() -> Elementwise.add(a, placeholder(List.of(2), DType.FLOAT32, "f")), "int32", "float32", "cast");
        assertRejected(() -> Elementwise.add(placeholder(List.of(2), DType.BOOL, "p"), placeholder(List.of(2), DType.BOOL, "q")),
                "numeric");
    }

    @Test
    void activations() {
        Tensor x = placeholder(List.of(5), DType.FLOAT32, "x");
        Tensor g = Elementwise.gelu(x, "gelu");
        Tensor s = Elementwise.sigmoid(x, "sig");
        Tensor t = Elementwise.tanh(x, "th");
        Tensor c = Elementwise.cast(x, DType.INT32, "xi");
        assertEquals(DType.INT32, c.dtype());
        float[] xv = {-2f, -0.5f, 0f, 0.5f, 3f};
        var ev = TestData.reference(ComputeDag.of(g, s, t, c), Map.of(x, TestData.doubles(xv)));
        float[] gelu = new float[5];
        float[] sig = new float[5];
        float[] th = new float[5];
        for (int i = 0; i < 5; i++) {
            gelu[i] = (float) (xv[i] * 0.5 * (1 + NaiveOps.erf(xv[i] / Math.sqrt(2))));
            sig[i] = (float) (1 / (1 + Math.exp(-xv[i])));
            th[i] = (float) Math.tanh(xv[i]);
        }
        assertClose(gelu, ev.get(g).toFloatArray(), 1e-5);
        assertClose(sig, ev.get(s).toFloatArray());
        assertClose(th, ev.get(t).toFloatArray());
        assertArrayEquals(new double[] {-2, 0, 0, 0, 3}, ev.get(c).toDoubleArray());
        assertRejected(() -> Elementwise.gelu(placeholder(List.of(2), DType.INT32, "i"), "g"), "float");
    }

    /** Shapes as expression lists, for the shape-only tests. */
    private static final class Dims0 {
        static List<dev.lathe.ir.Expr> of(Object... d) {
            return dev.lathe.te.Shapes.of(List.of(d));
        }
    }
}
