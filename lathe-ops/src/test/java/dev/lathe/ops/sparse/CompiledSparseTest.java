package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Var;
import dev.lathe.ops.KernelCheck;
import dev.lathe.ops.NaiveOps;
import dev.lathe.ops.TestData;
import dev.lathe.runtime.NDArray;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.te.Te.placeholder;
import static dev.lathe.te.Te.sizeVar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiled sparse kernels against the reference evaluator, with real index arrays: loop bounds
 * read from {@code indptr} at run time, columns gathered through {@code indices}.
 */
class CompiledSparseTest {
    private final Random rnd = new Random(29);

    /** A random dense matrix with empty rows 0, 3 and the last one, and about {@code density} non-zeros elsewhere. */
    private float[] withEmptyRows(int rows, int cols, double density) {
        float[] d = TestData.random(rnd, rows * cols);
        for (int i = 0; i < d.length; i++) {
            int row = i / cols;
            if (row == 0 || row == 3 || row == rows - 1 || rnd.nextDouble() > density) {
                d[i] = 0;
            }
        }
        return d;
    }

    @Test
    void csrMatrixTimesVectorWithEmptyRows() {
        int rows = 9, cols = 7;
        float[] dense = withEmptyRows(rows, cols, 0.5);
        NaiveOps.Csr csr = NaiveOps.csrFromDense(dense, rows, cols);
        assertEquals(csr.indptr()[0], csr.indptr()[1], "row 0 is empty");
        Var nnz = sizeVar("nnz");
        CsrTensors a = CsrTensors.placeholders(rows, cols, nnz, "A");
        Tensor x = placeholder(List.of(cols), DType.FLOAT32, "x");
        Tensor y = Csr.csrMv(a, x);
        float[] xv = TestData.random(rnd, cols);
        KernelCheck.Result r = KernelCheck.of(y).name("csr_mv")
                .input(a.data(), NDArray.of(csr.data(), csr.data().length))
                .input(a.indices(), NDArray.of(csr.indices(), csr.indices().length))
                .input(a.indptr(), NDArray.of(csr.indptr(), rows + 1))
                .input(x, NDArray.of(xv, cols))
                .run();
        float[] out = r.compiled(y).toFloatArray();
        assertClose(NaiveOps.csrMv(csr, xv), out);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[3]);
        assertEquals(0f, out[rows - 1]);
    }

    @Test
    void csrWithSymbolicShapeAndMatrixOperand() {
        int rows = 6, cols = 5, n = 3;
        float[] dense = withEmptyRows(rows, cols, 0.6);
        NaiveOps.Csr csr = NaiveOps.csrFromDense(dense, rows, cols);
        Var r = sizeVar("rows");
        Var c = sizeVar("cols");
        CsrTensors a = CsrTensors.placeholders(r, c, sizeVar("nnz"), "A");
        Tensor xm = placeholder(List.of(c, n), DType.FLOAT32, "X");
        Tensor y = Csr.csrMm(a, xm);
        KernelCheck.of(y).name("csr_mm").seed(801).size(r, rows).size(c, cols)
                .input(a.data(), NDArray.of(csr.data(), csr.data().length))
                .input(a.indices(), NDArray.of(csr.indices(), csr.indices().length))
                .input(a.indptr(), NDArray.of(csr.indptr(), rows + 1))
                .run();
    }

    @Test
    void bsrSparseTimesDense() {
        int[][] blocks = {{2, 1}, {2, 3}, {4, 2}};
        for (int[] b : blocks) {
            int rows = 8, cols = 6, n = 5, m = 3;
            float[] dense = withEmptyRows(rows, cols, 0.5);
            NaiveOps.Bsr bsr = NaiveOps.bsrFromDense(dense, rows, cols, b[0], b[1]);
            BsrTensors w = BsrTensors.placeholders(rows, cols, b[0], b[1], bsr.nnzBlocks(), "W");
            Tensor rhs = placeholder(List.of(cols, n), DType.FLOAT32, "B");
            Tensor x = placeholder(List.of(m, cols), DType.FLOAT32, "X");
            Tensor c = Bsr.bsrMatmul(w, rhs);
            Tensor yt = Bsr.denseBsrT(x, w);
            KernelCheck.of(c, yt).name("bsr_" + b[0] + "x" + b[1]).seed(810 + b[0] * 10 + b[1])
                    .input(w.data(), NDArray.of(bsr.data(), bsr.nnzBlocks(), b[0], b[1]))
                    .input(w.indices(), NDArray.of(bsr.indices(), bsr.nnzBlocks()))
                    .input(w.indptr(), NDArray.of(bsr.indptr(), rows / b[0] + 1))
                    .run();
        }
    }

    @Test
    void randomIndexArraysAreRefused() {
        CsrTensors a = CsrTensors.placeholders(4, 4, 6, "A");
        Tensor y = Csr.csrMv(a, placeholder(List.of(4), DType.FLOAT32, "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelCheck.of(y).run());
        assertTrue(e.getMessage().contains("A_indices") || e.getMessage().contains("A_indptr"), e.getMessage());
    }
}
