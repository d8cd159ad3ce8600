package dev.lathe.ops;

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
import static org.junit.jupiter.api.Assertions.assertEquals;

class LinalgTest {
    private final Random rnd = new Random(7);

    @Test
    void matmulShapeDtypeAndValues() {
        Tensor a = placeholder(List.of(4, 3), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(3, 5), DType.FLOAT32, "B");
        Tensor c = Linalg.matmul(a, b, "C");
        assertEquals("[4, 5]", c.shape().toString());
        assertEquals(DType.FLOAT32, c.dtype());
        assertEquals("C", c.name());
        assertEquals(3, opCount(c));
        float[] av = random(rnd, 12);
        float[] bv = random(rnd, 15);
        var ev = TestData.reference(ComputeDag.of(c), Map.of(a, TestData.doubles(av), b, TestData.doubles(bv)));
        assertClose(NaiveOps.matmul(av, bv, 4, 3, 5), ev.get(c).toFloatArray());
    }

    @Test
    void matmulWithSymbolicShapes() {
        Var m = sizeVar("M");
        Var k = sizeVar("K");
        Var n = sizeVar("N");
        Tensor a = placeholder(List.of(m, k), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(k, n), DType.FLOAT32, "B");
        Tensor c = Linalg.matmul(a, b);
        assertEquals("[M, N]", c.shape().toString());
        assertEquals(List.of(m, k, n), ComputeDag.of(c).sizeVars());
        float[] av = random(rnd, 6);
        float[] bv = random(rnd, 8);
        var ev = TestData.reference(ComputeDag.of(c), Map.of(a, TestData.doubles(av), b, TestData.doubles(bv)),
                Map.of(m, 3L, k, 2L, n, 4L));
        assertClose(NaiveOps.matmul(av, bv, 3, 2, 4), ev.get(c).toFloatArray());
    }

    @Test
    void int8OperandsAccumulateInInt32() {
        Tensor a = placeholder(List.of(2, 3), DType.INT8, "A");
        Tensor b = placeholder(List.of(3, 2), DType.INT8, "B");
        Tensor c = Linalg.matmul(a, b, DType.INT32, "C");
        assertEquals(DType.INT32, c.dtype());
        double[] av = {100, 100, 100, 1, 2, 3};
        double[] bv = {100, 1, 100, 1, 100, 1};
        var ev = TestData.reference(ComputeDag.of(c), Map.of(a, av, b, bv));
        assertEquals(30000, ev.get(c).toDoubleArray()[0]);
        assertEquals(6, ev.get(c).toDoubleArray()[3]);
    }

    @Test
    void matmulTransposedBAndBatchMatmul() {
        Tensor x = placeholder(List.of(3, 4), DType.FLOAT32, "X");
        Tensor w = placeholder(List.of(5, 4), DType.FLOAT32, "W");
        Tensor y = Linalg.matmulTransposedB(x, w);
        assertEquals("[3, 5]", y.shape().toString());
        float[] xv = random(rnd, 12);
        float[] wv = random(rnd, 20);
        var ev = TestData.reference(ComputeDag.of(y), Map.of(x, TestData.doubles(xv), w, TestData.doubles(wv)));
        assertClose(NaiveOps.matmulTransposedB(xv, wv, 3, 4, 5), ev.get(y).toFloatArray());

        Var batch = sizeVar("B");
        Tensor a = placeholder(List.of(batch, 2, 3), DType.FLOAT32, "A");
        Tensor b = placeholder(List.of(batch, 3, 4), DType.FLOAT32, "Bm");
        Tensor c = Linalg.batchMatmul(a, b);
        assertEquals("[B, 2, 4]", c.shape().toString());
        float[] av = random(rnd, 2 * 6);
        float[] bv = random(rnd, 2 * 12);
        ev = TestData.reference(ComputeDag.of(c), Map.of(a, TestData.doubles(av), b, TestData.doubles(bv)), Map.of(batch, 2L));
        assertClose(NaiveOps.batchMatmul(av, bv, 2, 2, 3, 4), ev.get(c).toFloatArray());
    }

    @Test
    void rejectsMismatchedOperands() {
        Tensor a = placeholder(List.of(4, 3), DType.FLOAT32, "A");
        assertRejected(() -> Linalg.matmul(a, placeholder(List.of(4, 5), DType.FLOAT32, "B")),
                "inner dimensions", "3 and 4");
        assertRejected(() -> Linalg.matmul(placeholder(List.of(4, sizeVar("k")), DType.FLOAT32, "A"),
                placeholder(List.of(sizeVar("k"), 5), DType.FLOAT32, "B")), "same size variable");
        assertRejected(() -> Linalg.matmul(a, placeholder(List.of(3, 5), DType.FLOAT64, "B")),
                "float32", "float64", "cast");
        assertRejected(() -> Linalg.matmul(a, placeholder(List.of(2, 3, 5), DType.FLOAT32, "B")), "rank 2");
        assertRejected(() -> Linalg.matmul(a, placeholder(List.of(3, 5), DType.FLOAT32, "B"), DType.BOOL, "C"), "bool");
        assertRejected(() -> Linalg.batchMatmul(placeholder(List.of(2, 4, 3), DType.FLOAT32, "A"),
                placeholder(List.of(3, 3, 5), DType.FLOAT32, "B")), "batch dimensions");
        assertRejected(() -> Linalg.matmulTransposedB(a, placeholder(List.of(5, 4), DType.FLOAT32, "W")),
                "reduced dimensions");
    }
}
