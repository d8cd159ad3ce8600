package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ops.TestData;
import dev.lathe.runtime.NDArray;
import dev.lathe.runtime.Npy;
import dev.lathe.te.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static dev.lathe.ops.TestData.assertClose;
import static dev.lathe.ops.TestData.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The host-side formats: construction, pruning to a sparsity, validation and .npy triplets. */
class SparseMatrixTest {
    private final Random rnd = new Random(3);

    @Test
    void pruningKeepsTheBlocksOfLargestMagnitude() {
        // 4 x 4 in 2 x 2 blocks with norms 1, 4, 3, 2: at sparsity 0.5 the blocks of norm 4 and 3 stay.
        float[] d = {
                1, 0, 4, 0,
                0, 0, 0, 0,
                3, 0, 0, 2,
                0, 0, 0, 0};
        BsrMatrix m = BsrMatrix.fromDense(d, 4, 4, 2, 2, 0.5);
        assertEquals(2, m.nnzBlocks());
        assertArrayEquals(new int[]{1, 0}, m.indices());
        assertArrayEquals(new int[]{0, 1, 2}, m.indptr());
        assertArrayEquals(new float[]{0, 0, 4, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}, m.toDense());
        assertEquals(0.5, m.density());
        BsrMatrix all = BsrMatrix.fromDense(d, 4, 4, 2, 2);
        assertEquals(4, all.nnzBlocks(), "every block holding a non-zero is kept");
        assertArrayEquals(d, all.toDense());
        BsrMatrix none = BsrMatrix.fromDense(d, 4, 4, 2, 2, 1.0);
        assertEquals(0, none.nnzBlocks());
        assertArrayEquals(new float[16], none.toDense());
    }

    @Test
    void csrAndBsrAgreeOnTheDenseMatrix() {
        for (int[] b : new int[][]{{1, 1}, {16, 1}, {4, 4}, {8, 8}}) {
            for (double sparsity : new double[]{0.5, 0.7, 0.95}) {
                BsrMatrix m = BsrMatrix.random(32, 16, b[0], b[1], sparsity, rnd);
                long blocks = (32 / b[0]) * (16 / b[1]);
                assertEquals(Math.round(blocks * (1 - sparsity)), m.nnzBlocks());
                CsrMatrix csr = m.toCsr();
                assertArrayEquals(m.toDense(), csr.toDense());
                assertEquals(m.nnz(), csr.nnz());
                CsrMatrix pruned = CsrMatrix.fromDense(m.toDense(), 32, 16, 0.9);
                assertEquals(Math.round(32 * 16 * 0.1), pruned.nnz());
            }
        }
    }

    @Test
    void malformedStructuresAreRejectedWithTheirPosition() {
        float[] one = {1};
        assertRejected(() -> new CsrMatrix(2, 3, new float[2], new int[]{0, 1}, new int[]{0, 2}), "indptr", "3 entries");
        assertRejected(() -> new CsrMatrix(2, 3, new float[2], new int[]{0, 1}, new int[]{1, 1, 2}), "indptr[0]");
        assertRejected(() -> new CsrMatrix(2, 3, new float[2], new int[]{0, 1}, new int[]{0, 2, 1}),
                "must not decrease", "indptr[1] = 2");
        assertRejected(() -> new CsrMatrix(2, 3, new float[2], new int[]{0, 1}, new int[]{0, 1, 3}), "indptr[2] = 3",
                "indices.length = 2");
        assertRejected(() -> new CsrMatrix(2, 3, new float[2], new int[]{0, 3}, new int[]{0, 1, 2}), "indices[1] = 3",
                "out of range [0, 3)");
        assertRejected(() -> new CsrMatrix(2, 3, new float[2], new int[]{-1, 0}, new int[]{0, 1, 2}), "indices[0] = -1");
        assertRejected(() -> new CsrMatrix(1, 3, new float[2], new int[]{2, 1}, new int[]{0, 2}), "strictly increasing",
                "row 0");
        assertRejected(() -> new CsrMatrix(1, 3, new float[2], new int[]{1, 1}, new int[]{0, 2}), "strictly increasing");
        assertRejected(() -> new CsrMatrix(1, 3, one, new int[]{0, 1}, new int[]{0, 2}), "same length");
        assertRejected(() -> new BsrMatrix(4, 4, 2, 2, new float[3], new int[]{0}, new int[]{0, 1, 1}),
                "nnzb * blockRows * blockCols");
        assertRejected(() -> new BsrMatrix(4, 4, 2, 2, new float[4], new int[]{2}, new int[]{0, 1, 1}),
                "indices[0] = 2", "[0, 2)");
        assertRejected(() -> new BsrMatrix(5, 4, 2, 2, new float[0], new int[0], new int[]{0, 0, 0}), "multiples");
        assertRejected(() -> BsrMatrix.fromDense(new float[16], 4, 4, 0, 2, 0.5), "positive");
        assertRejected(() -> BsrMatrix.fromDense(new float[15], 4, 4, 2, 2, 0.5), "16 values");
        assertRejected(() -> BsrMatrix.fromDense(new float[16], 4, 4, 2, 2, 1.5), "sparsity", "[0, 1]");
    }

    @Test
    void bindChecksThePlaceholdersAgainstTheMatrix() {
        BsrMatrix m = BsrMatrix.random(32, 16, 16, 1, 0.5, rnd);
        BsrTensors ok = BsrTensors.placeholders(32, 16, 16, 1, m.nnzBlocks(), "W");
        Map<Tensor, NDArray> in = m.bind(ok);
        assertEquals(3, in.size());
        assertArrayEquals(java.util.Arrays.stream(m.indptr()).asLongStream().toArray(), in.get(ok.indptr()).toLongArray());
        assertRejected(() -> m.bind(BsrTensors.placeholders(32, 16, 16, 1, m.nnzBlocks() + 1, "W")), "W_data",
                "nnz");
        assertRejected(() -> m.bind(BsrTensors.placeholders(32, 16, 8, 1, m.nnzBlocks(), "W")), "block shape");
        CsrMatrix c = m.toCsr();
        assertRejected(() -> c.bind(CsrTensors.placeholders(32, 8, c.nnz(), "A")), "cols", "declared 8");
    }

    @Test
    void npyTripletsRoundTripAndAreValidatedOnLoad(@TempDir Path dir) throws IOException {
        BsrMatrix m = BsrMatrix.random(32, 24, 4, 4, 0.7, rnd);
        m.save(dir, "w");
        BsrMatrix back = BsrMatrix.load(dir, "w", 24);
        assertArrayEquals(m.toDense(), back.toDense());
        assertEquals(4, back.blockRows());
        CsrMatrix c = CsrMatrix.fromDense(TestData.random(rnd, 30), 5, 6, 0.5);
        c.save(dir, "c");
        assertClose(c.toDense(), CsrMatrix.load(dir, "c", 6).toDense());
        // a corrupted indptr is refused when loading, not when a kernel runs
        Npy.write(NDArray.of(new int[]{0, 2, 1, 3, 3, 3}, 6), dir.resolve("c_indptr.npy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsrMatrix.load(dir, "c", 6));
        assertEquals(true, e.getMessage().contains("must not decrease"), e.getMessage());
        Npy.write(NDArray.zeros(DType.FLOAT32, 3), dir.resolve("w_data.npy"));
        assertRejected(() -> {
            try {
                BsrMatrix.load(dir, "w", 24);
            } catch (IOException io) {
                throw new IllegalStateException(io);
            }
        }, "3-D");
    }
}
