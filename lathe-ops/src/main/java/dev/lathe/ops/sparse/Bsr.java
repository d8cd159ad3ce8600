package dev.lathe.ops.sparse;

import dev.lathe.ir.DType;
import dev.lathe.ir.Expr;
import dev.lathe.ir.IntImm;
import dev.lathe.ir.IterVar;
import dev.lathe.ops.Dims;
import dev.lathe.te.Tensor;

import java.util.List;

import static dev.lathe.te.Te.compute;
import static dev.lathe.te.Te.reduceAxis;
import static dev.lathe.te.Te.sum;

/**
 * Products with a BSR matrix. Each output element reduces over the blocks of its block row
 * (bounds from indptr) and the columns within a block; the block row and the row within it are
 * {@code floordiv}/{@code floormod} of the output index, which a schedule splitting that axis by the
 * block extent turns into plain loop variables.
 */
public final class Bsr {
    private Bsr() {
    }

    /**
     * {@code C[M, N] = A[M, K] · B[K, N]} with {@code A} in BSR ({@code M = rows}, {@code K = cols}):
     * {@code C[i, j] = Σ_{b ∈ blocks of row i/bsr} Σ_{c < bsc} data[b, i%bsr, c] · B[indices[b]*bsc + c, j]}.
     */
    public static Tensor bsrMatmul(BsrTensors a, Tensor dense) {
        return bsrMatmul(a, dense, "bsr_matmul");
    }

    public static Tensor bsrMatmul(BsrTensors a, Tensor dense, String name) {
        Dims.requireRank(dense, 2, "bsrMatmul: the dense matrix");
        Dims.requireSameDtype(a.data(), dense, "bsrMatmul");
        Dims.requireSame(a.cols(), dense.shape().getFirst(), "bsrMatmul: the sparse matrix's cols and the dense matrix's rows");
        return compute(List.of(a.rows(), dense.shape().get(1)), (i, j) -> blockSum(a, i, k -> dense.get(k, j)), name);
    }

    /**
     * A sparse fully-connected layer, {@code Y[M, N] = X[M, K] · Wᵀ} with {@code W} in BSR
     * ({@code N = rows}, {@code K = cols}):
     * {@code Y[m, n] = Σ_{b ∈ blocks of row n/bsr} Σ_{c < bsc} data[b, n%bsr, c] · X[m, indices[b]*bsc + c]}.
     */
    public static Tensor denseBsrT(Tensor x, BsrTensors w) {
        return denseBsrT(x, w, "dense_bsr");
    }

    public static Tensor denseBsrT(Tensor x, BsrTensors w, String name) {
        Dims.requireRank(x, 2, "denseBsrT: the dense input");
        Dims.requireSameDtype(x, w.data(), "denseBsrT");
        Dims.requireSame(x.shape().get(1), w.cols(), "denseBsrT: the input's dim 1 (K) and the sparse weight's cols");
        return compute(List.of(x.shape().getFirst(), w.rows()), (m, n) -> blockSum(w, n, k -> x.get(m, k)), name);
    }

    /**
     * {@code Σ_{b ∈ blocks of row/bsr} Σ_{c < bsc} data[b, row % bsr, c] · operand(indices[b]·bsc + c)}:
     * the sum over the stored values of one row of {@code a}, {@code operand} giving the dense
     * factor of a column.
     */
    static Expr blockSum(BsrTensors a, Expr row, java.util.function.Function<Expr, Expr> operand) {
        return blockSum(a, row, (b, c) -> operand.apply(column(a, b, c, a.blockCols())));
    }

    /**
     * The same sum, {@code operand} given the stored block's reduce axis {@code b} (an index into
     * {@code data} and {@code indices}) and the column within the block {@code c}, for operands
     * tabulated per stored column.
     */
    static Expr blockSum(BsrTensors a, Expr row, java.util.function.BiFunction<IterVar, IterVar, Expr> operand) {
        int bsr = a.blockRows();
        IterVar c = reduceAxis(0, a.blockCols(), "c");
        IterVar b = blockRange(a, row, bsr);
        Expr inBlock = bsr == 1 ? (Expr) IntImm.of(0) : row.floormod(bsr);
        return sum(a.data().get(b.var(), inBlock, c.var()).mul(operand.apply(b, c)), b, c);
    }

    /** The reduce axis over the blocks of the block row holding row {@code i}. */
    static IterVar blockRange(BsrTensors a, Expr i, int bsr) {
        Expr blockRow = bsr == 1 ? i : i.floordiv(bsr);
        return reduceAxis(a.indptr().get(blockRow).cast(DType.INT64), a.indptr().get(blockRow.add(1)).cast(DType.INT64), "b");
    }

    static Expr column(BsrTensors a, IterVar b, IterVar c, int bsc) {
        Expr blockCol = a.indices().get(b.var()).cast(DType.INT64);
        return bsc == 1 ? blockCol.add(c.var()) : blockCol.mul(bsc).add(c.var());
    }
}
