package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Var;
import dev.lathe.ops.NaiveOps;
import dev.lathe.ops.TestData;
import dev.lathe.te.ComputeDag;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.ops.TestData.assertRejected;
import static dev.lathe.ops.TestData.opCount;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparseTest {
    private final Random rnd = new Random(23);

    /** A random dense matrix with about {@code density} non-zeros, zeroing whole rows now and then. */
    private float[] sparseDense(int rows, int cols, double density) {
        float[] d = TestData.random(rnd, rows * cols);
        for (int i = 0; i < d.length; i++) {
            if (rnd.nextDouble() > density || (i / cols) % 4 == 2) {
                d[i] = 0;
            }
        }
        return d;
    }

    private static double[] d(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private static double[] d(int[] f) {
        return java.util.Arrays.stream(f).asDoubleStream().toArray();
    }

    @Test
    void csrMvAndMmMatchNaiveAndDense() {
        int rows = 6, cols = 5, n = 3;
        float[] dense = sparseDense(rows, cols, 0.4);
        NaiveOps.Csr csr = NaiveOps.csrFromDense(dense, rows, cols);
        Var nnz = sizeVar("nnz");
        CsrTensors a = CsrTensors.placeholders(rows, cols, nnz, "A");
        Tensor x = placeholder(List.of(cols), DType.FLOAT32, "x");
        Tensor y = Csr.csrMv(a, x);
        Tensor xm = placeholder(List.of(cols, n), DType.FLOAT32, "X");
        Tensor ym = Csr.csrMm(a, xm);
        assertEquals("[6]", y.shape().toString());
        assertEquals("[6, 3]", ym.shape().toString());
        assertEquals(5, opCount(y)); // data, indptr, indices, x, csr_mv
        String text = ComputeDag.of(y).toString();
        assertTrue(text.contains("A_indptr[i + 1]"), text);

        float[] xv = TestData.random(rnd, cols);
        float[] xmv = TestData.random(rnd, cols * n);
        Map<Tensor, double[]> in = Map.of(a.data(), d(csr.data()), a.indices(), d(csr.indices()),
                a.indptr(), d(csr.indptr()), x, d(xv), xm, d(xmv));
        var ev = evaluate(ComputeDag.of(y, ym), in, Map.of(nnz, (long) csr.data().length));
        assertClose(NaiveOps.csrMv(csr, xv), ev.apply(y));
        assertClose(NaiveOps.matmul(dense, xv, rows, cols, 1), ev.apply(y));
        assertClose(NaiveOps.csrMm(csr, xmv, n), ev.apply(ym));
        assertClose(NaiveOps.matmul(dense, xmv, rows, cols, n), ev.apply(ym));
    }

    @Test
    void bsrMatmulAndDenseBsrTMatchNaiveAndDense() {
        int[][] blocks = {{2, 1}, {2, 3}, {1, 1}, {4, 2}};
        for (int[] b : blocks) {
            int rows = 8, cols = 6, n = 5, m = 3;
            float[] dense = sparseDense(rows, cols, 0.5);
            NaiveOps.Bsr bsr = NaiveOps.bsrFromDense(dense, rows, cols, b[0], b[1]);
            assertClose(dense, NaiveOps.bsrToDense(bsr));
            BsrTensors w = BsrTensors.placeholders(rows, cols, b[0], b[1], bsr.nnzBlocks(), "W");
            assertEquals(b[0], w.blockRows());
            assertEquals(b[1], w.blockCols());
            Tensor rhs = placeholder(List.of(cols, n), DType.FLOAT32, "B");
            Tensor c = Bsr.bsrMatmul(w, rhs);
            Tensor x = placeholder(List.of(m, cols), DType.FLOAT32, "X");
            Tensor yv = Bsr.denseBsrT(x, w);
            assertEquals("[8, 5]", c.shape().toString());
            assertEquals("[3, 8]", yv.shape().toString());
            assertEquals(5, opCount(yv));
            float[] rv = TestData.random(rnd, cols * n);
            float[] xv = TestData.random(rnd, m * cols);
            Map<Tensor, double[]> in = Map.of(w.data(), d(bsr.data()), w.indices(), d(bsr.indices()),
                    w.indptr(), d(bsr.indptr()), rhs, d(rv), x, d(xv));
            var ev = evaluate(ComputeDag.of(c, yv), in, Map.of());
            assertClose(NaiveOps.bsrMatmul(bsr, rv, n), ev.apply(c));
            assertClose(NaiveOps.matmul(dense, rv, rows, cols, n), ev.apply(c));
            assertClose(NaiveOps.denseBsrT(xv, m, bsr), ev.apply(yv));
            assertClose(NaiveOps.matmulTransposedB(xv, dense, m, cols, rows), ev.apply(yv));
        }
    }

    @Test
    void benchmarkS1ShapesWithSymbolicSizes() {
        // BENCHMARKS S1: X[128, 256] · Wᵀ, W BSR [512, 256] with 16x1 blocks.
        BsrTensors w = BsrTensors.placeholders(512, 256, 16, 1, sizeVar("nnzb"), "W");
        assertEquals("[33]", w.indptr().shape().toString());
        assertEquals("[nnzb, 16, 1]", w.data().shape().toString());
        assertEquals(DType.INT32, w.indices().dtype());
        Tensor y = Bsr.denseBsrT(placeholder(List.of(sizeVar("M"), 256), DType.FLOAT32, "X"), w);
        assertEquals("[M, 512]", y.shape().toString());

        Var r = sizeVar("rows");
        CsrTensors a = CsrTensors.placeholders(r, sizeVar("cols"), sizeVar("nnz"), "A");
        assertEquals("[rows + 1]", a.indptr().shape().toString());
        assertEquals(DType.FLOAT32, a.data().dtype());
        assertEquals("[rows]", Csr.csrMv(a, placeholder(List.of(a.cols()), DType.FLOAT32, "x")).shape().toString());
    }

    @Test
    void rejectsInconsistentFormatsAndOperands() {
        CsrTensors a = CsrTensors.placeholders(4, 5, 7, "A");
        assertRejected(() -> Csr.csrMv(a, placeholder(List.of(4), DType.FLOAT32, "x")), "cols", "5 and 4");
        assertRejected(() -> Csr.csrMv(a, placeholder(List.of(5), DType.FLOAT64, "x")), "float64");
        assertRejected(() -> new CsrTensors(a.data(), a.indices(), placeholder(List.of(4), DType.INT32, "p"), a.rows(), a.cols()),
                "indptr", "rows + 1");
        assertRejected(() -> new CsrTensors(a.data(), placeholder(List.of(7), DType.INT64, "i"), a.indptr(), a.rows(), a.cols()),
                "int32");
        assertRejected(() -> BsrTensors.placeholders(10, 6, 4, 1, 3, "W"), "rows", "multiple of 4", "10");
        assertRejected(() -> BsrTensors.placeholders(8, 7, 4, 2, 3, "W"), "cols", "multiple of 2", "7");
        assertRejected(() -> BsrTensors.placeholders(8, 6, 0, 1, 3, "W"), "positive");
        BsrTensors w = BsrTensors.placeholders(8, 6, 2, 3, 4, "W");
        assertRejected(() -> Bsr.denseBsrT(placeholder(List.of(3, 5), DType.FLOAT32, "X"), w), "K", "5 and 6");
        assertRejected(() -> Bsr.bsrMatmul(w, placeholder(List.of(8, 5), DType.FLOAT32, "B")), "rows", "6 and 8");
    }

    /** The reference evaluator's outputs, as float arrays. */
    private static java.util.function.Function<Tensor, float[]> evaluate(ComputeDag dag, Map<Tensor, double[]> in,
                                                                        Map<Var, Long> sizes) {
        var arrays = TestData.reference(dag, in, sizes);
        return t -> arrays.get(t).toFloatArray();
    }
}
