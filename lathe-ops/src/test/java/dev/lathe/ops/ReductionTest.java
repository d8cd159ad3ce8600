package dev.lathe.ops;

import dev.lathe.ir.DType;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReductionTest {
    private final Random rnd = new Random(17);

    @Test
    void argmaxAndArgminMatchNaiveAlongEachAxis() {
        int[] s = {3, 4, 5};
        float[] xv = random(rnd, 60);
        for (int i = 0; i < xv.length; i += 3) {
            xv[i] = Math.round(xv[i] * 2) / 2f; // coarse values, so ties occur
        }
        for (int axis = 0; axis < 3; axis++) {
            Tensor x = placeholder(List.of(3, 4, 5), DType.FLOAT32, "x");
            ArgResult mx = Reduction.argmax(x, axis);
            ArgResult mn = Reduction.argmin(x, axis - 3, DType.INT32, "amin");
            assertEquals(DType.INT64, mx.index().dtype());
            assertEquals(DType.INT32, mn.index().dtype());
            assertEquals(DType.FLOAT32, mx.value().dtype());
            var ev = TestData.reference(ComputeDag.of(mx.index(), mx.value(), mn.index(), mn.value()),
                    Map.of(x, TestData.doubles(xv)));
            NaiveOps.Arg emx = NaiveOps.argmax(xv, s, axis);
            NaiveOps.Arg emn = NaiveOps.argmin(xv, s, axis);
            assertArrayEquals(java.util.Arrays.stream(emx.index()).asDoubleStream().toArray(), ev.get(mx.index()).toDoubleArray());
            assertArrayEquals(java.util.Arrays.stream(emn.index()).asDoubleStream().toArray(), ev.get(mn.index()).toDoubleArray());
            assertClose(emx.value(), ev.get(mx.value()).toFloatArray());
            assertClose(emn.value(), ev.get(mn.value()).toFloatArray());
        }
    }

    @Test
    void argmaxTiesGoToTheSmallerIndexEvenAtTheIdentity() {
        Tensor x = placeholder(List.of(1, 4), DType.FLOAT32, "x");
        ArgResult r = Reduction.argmax(x, 1);
        double inf = Double.NEGATIVE_INFINITY;
        var ev = TestData.reference(ComputeDag.of(r.index(), r.value()), Map.of(x, new double[] {inf, inf, inf, inf}));
        assertEquals(0, ev.get(r.index()).toDoubleArray()[0]);
        ev = TestData.reference(ComputeDag.of(r.index(), r.value()), Map.of(x, new double[] {1, 3, 3, 2}));
        assertEquals(1, ev.get(r.index()).toDoubleArray()[0]);
        assertEquals(3, ev.get(r.value()).toDoubleArray()[0]);
    }

    @Test
    void argmaxIsOneComputeWithTwoOutputsAndACustomReducer() {
        Tensor x = placeholder(List.of(sizeVar("n"), 10), DType.FLOAT32, "x");
        ArgResult r = Reduction.argmax(x, -1);
        assertEquals("[n]", r.index().shape().toString());
        assertEquals(r.index().op(), r.value().op());
        assertEquals(2, opCount(r.index(), r.value()));
        String text = ComputeDag.of(r.index(), r.value()).toString();
        assertTrue(text.contains("reducer argmax<int64, float32>"), text);
        assertRejected(() -> Reduction.argmax(x, 0, DType.FLOAT32, "a"), "int32 or int64");
        assertRejected(() -> Reduction.argmax(x, 2), "axis 2");
    }

    @Test
    void fullReductionsToAScalar() {
        Tensor x = placeholder(List.of(2, 3), DType.FLOAT32, "x");
        Tensor s = Reduction.sumAll(x);
        Tensor p = Reduction.prodAll(x);
        assertEquals(0, s.ndim());
        assertEquals("[]", p.shape().toString());
        assertEquals(3, opCount(s, p));
        float[] xv = random(rnd, 6);
        var ev = TestData.reference(ComputeDag.of(s, p), Map.of(x, TestData.doubles(xv)));
        assertClose(new float[] {NaiveOps.sumAll(xv)}, ev.get(s).toFloatArray());
        assertClose(new float[] {NaiveOps.prodAll(xv)}, ev.get(p).toFloatArray());

        // BENCHMARKS X1: a product over exactly two elements.
        Tensor two = placeholder(List.of(2), DType.FLOAT32, "two");
        Tensor p2 = Reduction.prodAll(two);
        assertEquals(6.0, TestData.reference(ComputeDag.of(p2), Map.of(two, new double[] {2, 3})).get(p2).toDoubleArray()[0]);

        Tensor scalar = placeholder(List.of(), DType.INT32, "s");
        Tensor copy = Reduction.sumAll(scalar);
        assertEquals(7.0, TestData.reference(ComputeDag.of(copy), Map.of(scalar, new double[] {7})).get(copy).toDoubleArray()[0]);
        assertRejected(() -> Reduction.sumAll(placeholder(List.of(2), DType.BOOL, "b")), "numeric");
    }
}
